package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Partial gradients merge to the same float32 average whatever the merge order and tree shape. */
class StepAggregateTest {
  private static StepAggregate one(float[] g) {
    StepAggregate a = new StepAggregate();
    a.addGradient(g.clone());
    return a;
  }

  private static float[] average(StepAggregate a, int n) {
    float[] out = new float[n];
    a.scaledGradient(1.0 / 7, out);
    return out;
  }

  @Test
  void anyMergeOrderAndTreeShapeGivesTheSameAverage() {
    Random rng = new Random(3);
    int n = 1000;
    List<float[]> parts = new ArrayList<>();
    for (int p = 0; p < 7; p++) {
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        g[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(6) - 3));
      }
      parts.add(g);
    }
    // reference: plain double sum in partition order
    float[] expected = new float[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (float[] g : parts) {
        s += g[i];
      }
      expected[i] = (float) (s / 7);
    }
    for (int trial = 0; trial < 20; trial++) {
      List<float[]> order = new ArrayList<>(parts);
      Collections.shuffle(order, rng);
      // a random binary tree of merges, starting from empty zero values like treeAggregate's
      List<StepAggregate> level = new ArrayList<>();
      for (float[] g : order) {
        level.add(new StepAggregate().merge(one(g)));
      }
      while (level.size() > 1) {
        int i = rng.nextInt(level.size() - 1);
        StepAggregate merged = level.get(i).merge(level.remove(i + 1));
        level.set(i, merged);
      }
      assertArrayEquals(expected, average(level.get(0), n), 0f, "trial " + trial);
    }
  }

  @Test
  void twoPartitionsAddInFloatWhicheverComesFirst() {
    Random rng = new Random(5);
    int n = 1000;
    float[] a = new float[n];
    float[] b = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(8) - 4));
      b[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(8) - 4));
    }
    float scale = (float) (1.0 / 3);
    float[] expected = new float[n];
    for (int i = 0; i < n; i++) {
      expected[i] = (a[i] + b[i]) * scale;
    }
    float[] ab = new float[n];
    new StepAggregate().merge(one(a)).merge(one(b)).scaledGradient(1.0 / 3, ab);
    float[] ba = new float[n];
    new StepAggregate().merge(one(b)).merge(one(a)).scaledGradient(1.0 / 3, ba);
    assertArrayEquals(expected, ab, 0f);
    assertArrayEquals(expected, ba, 0f);
  }

  @Test
  void aSinglePartitionIsItsOwnFloatVector() {
    float[] g = {1f, -2f, 3.5f};
    StepAggregate a = one(g);
    assertEquals(null, a.grad);
    float[] out = new float[3];
    a.scaledGradient(0.5, out);
    assertArrayEquals(new float[] {0.5f, -1f, 1.75f}, out, 0f);
  }

  @Test
  void theDivergenceGuardFindsTheFirstNonFiniteParameter() {
    assertEquals(-1, SparkTrainer.firstNonFinite(new float[] {0f, -0f, Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.MIN_VALUE}));
    assertEquals(2, SparkTrainer.firstNonFinite(new float[] {1f, 2f, Float.POSITIVE_INFINITY, Float.NaN}));
    assertEquals(0, SparkTrainer.firstNonFinite(new float[] {Float.NaN}));
    assertEquals(1, SparkTrainer.firstNonFinite(new float[] {1f, Float.NEGATIVE_INFINITY}));
    assertEquals(-1, SparkTrainer.firstNonFinite(new float[0]));
  }
}
