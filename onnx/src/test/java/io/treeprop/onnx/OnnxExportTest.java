package io.treeprop.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.BatchNormSpec;
import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.Conv2dTransposeSpec;
import io.treeprop.core.layer.Frame;
import io.treeprop.core.layer.Layer;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.NoiseLayer;
import io.treeprop.core.layer.Padding;
import io.treeprop.core.layer.PoolSpec;
import io.treeprop.core.layer.ResidualSpec;
import io.treeprop.core.layer.Size2;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every exported model runs in ONNX Runtime and gives Treeprop's predictions on the same raw rows, within 1e-5
 * (relative to values above 1).
 */
class OnnxExportTest {
  private static final int ROWS = 7;

  @Test
  void mlpWithStandardizedInputMatchesTreeprop() throws Exception {
    NetworkSpec spec = NetworkSpec.input(6).add(new LayerSpec.Dense(16))
        .add(new LayerSpec.Activation(ActivationFunction.LEAKY_RELU, 0.2f)).dropout(0.3f)
        .add(new LayerSpec.Dense(12, null, false)).add(new BatchNormSpec(0.1f, 1e-3f))
        .add(new LayerSpec.Activation(ActivationFunction.ELU, 0.7f))
        .add(new LayerSpec.Noise(NoiseLayer.Kind.GAUSSIAN, 0.5f)).dense(4).softmax();
    double[] mean = {100, -3, 0.5, 20, 0, 7};
    double[] stddev = {15, 0.2, 1, 4, 3, 0.5};
    Model m = Models.random(spec, new Losses.CategoricalCrossEntropy(), Map.of("scaling", Map.of("type",
        "standardize", "mean", List.of(100.0, -3.0, 0.5, 20.0, 0.0, 7.0), "stddev", List.of(15.0, 0.2, 1.0, 4.0, 3.0,
        0.5))), 1);
    float[] raw = new float[ROWS * 6];
    float[] scaled = new float[raw.length];
    float[] z = Models.rows(ROWS, 6, 0, 1.5, 2);
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (float) (mean[i % 6] + stddev[i % 6] * z[i]);
      scaled[i] = (float) ((raw[i] - mean[i % 6]) / stddev[i % 6]);
    }
    Map<String, Object> out = Ort.run(OnnxExport.toBytes(m), raw, ROWS);
    float[] expected = m.predict(scaled, ROWS);
    assertClose(expected, Ort.flat(out.get(OnnxExport.OUTPUT)));
    assertClose(expected, Ort.flat(out.get(OnnxExport.PROBABILITY)));
    assertArrayEquals(toLongs(m.predictClasses(scaled, ROWS)), (long[]) out.get(OnnxExport.CLASS_INDEX));
  }

  @ParameterizedTest
  @EnumSource(ActivationFunction.class)
  void everyActivationMatchesTreeprop(ActivationFunction f) throws Exception {
    NetworkSpec spec = NetworkSpec.input(5).dense(9).activation(f).dense(3);
    Model m = Models.random(spec, new Losses.Mse(), Map.of("scaling", Map.of("type", "factor", "factor", 0.5)), 3);
    float[] raw = Models.rows(ROWS, 5, 0, 2, 4);
    float[] scaled = raw.clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = (float) (raw[i] * 0.5);
    }
    Map<String, Object> out = Ort.run(OnnxExport.toBytes(m), raw, ROWS);
    assertClose(m.predict(scaled, ROWS), Ort.flat(out.get(OnnxExport.OUTPUT)));
    assertEquals(Map.of(OnnxExport.OUTPUT, out.get(OnnxExport.OUTPUT)), out, "a regression model has one output");
  }

  @Test
  void softmaxOverAnImageRowMatchesTreeprop() throws Exception {
    NetworkSpec spec = NetworkSpec.input(2, 3, 3).add(new Conv2dSpec(2, 1)).softmax();
    Model m = Models.random(spec, new Losses.Mse(), Map.of(), 5);
    float[] x = Models.rows(ROWS, 18, 0, 1, 6);
    assertClose(m.predict(x, ROWS), Ort.flat(Ort.run(OnnxExport.toBytes(m), x, ROWS).get(OnnxExport.OUTPUT)));
  }

  @Test
  void cnnWithBatchNormAndPoolingMatchesTreeprop() throws Exception {
    NetworkSpec spec = NetworkSpec.input(2, 8, 8)
        .add(new Conv2dSpec(4, Size2.of(3), null, Padding.SAME, null, null)).add(new BatchNormSpec()).relu()
        .add(new PoolSpec.MaxPool2d(2))
        .add(new Conv2dSpec(6, Size2.of(3), Size2.of(2), new Padding(Size2.of(1)), false, null))
        .add(new BatchNormSpec()).relu()
        .add(new PoolSpec.AvgPool2d(Size2.of(3), Size2.of(1), Size2.of(1)))
        .add(new PoolSpec.MaxPool2d(Size2.of(2), Size2.of(1), Size2.of(1)))
        .add(new PoolSpec.Flatten()).dense(3).softmax();
    Model m = Models.random(spec, new Losses.CategoricalCrossEntropy(), Map.of("scaling", Map.of("type", "factor",
        "factor", 1 / 255.0)), 7);
    float[] pixels = Models.rows(ROWS, 128, 128, 60, 8);
    float[] scaled = pixels.clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = (float) (pixels[i] * (1 / 255.0));
    }
    Map<String, Object> out = Ort.run(OnnxExport.toBytes(m), pixels, ROWS);
    assertClose(m.predict(scaled, ROWS), Ort.flat(out.get(OnnxExport.OUTPUT)));
    assertArrayEquals(toLongs(m.predictClasses(scaled, ROWS)), (long[]) out.get(OnnxExport.CLASS_INDEX));
  }

  @Test
  void residualNetworkWithProjectionShortcutsMatchesTreeprop() throws Exception {
    NetworkSpec spec = NetworkSpec.input(3, 8, 8)
        .add(new Conv2dSpec(4, Size2.of(3), null, Padding.SAME, null, null)).relu()
        .add(new ResidualSpec(List.of(new Conv2dSpec(8, Size2.of(3), Size2.of(2), new Padding(Size2.of(1)), false,
            null), new BatchNormSpec(), new LayerSpec.Activation(ActivationFunction.RELU),
            new Conv2dSpec(8, Size2.of(3), null, Padding.SAME, null, null)), ActivationFunction.RELU))
        .add(new ResidualSpec(List.of(new Conv2dSpec(8, Size2.of(3), null, Padding.SAME, null, null),
            new BatchNormSpec()), null))
        .add(new PoolSpec.GlobalAvgPool()).add(new PoolSpec.Flatten())
        .add(new ResidualSpec(List.of(new LayerSpec.Dense(5), new BatchNormSpec()), ActivationFunction.TANH))
        .dense(1).sigmoid();
    Model m = Models.random(spec, new Losses.BinaryCrossEntropy(), Map.of(), 9);
    float[] x = Models.rows(ROWS, 192, 0, 1, 10);
    Map<String, Object> out = Ort.run(OnnxExport.toBytes(m), x, ROWS);
    float[] expected = m.predict(x, ROWS);
    assertClose(expected, Ort.flat(out.get(OnnxExport.OUTPUT)));
    float[] p = Ort.flat(out.get(OnnxExport.PROBABILITY));
    for (int r = 0; r < ROWS; r++) {
      assertClose(new float[] {1 - expected[r], expected[r]}, new float[] {p[2 * r], p[2 * r + 1]});
    }
    assertArrayEquals(toLongs(m.predictClasses(x, ROWS)), (long[]) out.get(OnnxExport.CLASS_INDEX));
  }

  @Test
  void convTransposeAndUpsampleAutoencoderMatchesTreeprop() throws Exception {
    NetworkSpec spec = NetworkSpec.input(1, 8, 8)
        .add(new Conv2dSpec(4, Size2.of(3), Size2.of(2), new Padding(Size2.of(1)), null, null)).relu()
        .add(new Conv2dTransposeSpec(3, Size2.of(3), Size2.of(2), Size2.of(1), Size2.of(1), null, null)).relu()
        .add(new PoolSpec.MaxPool2d(2)).add(new PoolSpec.Upsample(Size2.of(2)))
        .add(new Conv2dTransposeSpec(2, Size2.of(2), Size2.of(1), null, null, false, null))
        .add(new PoolSpec.Upsample(new Size2(1, 2)))
        .add(new Conv2dSpec(1, Size2.of(3), null, Padding.SAME, null, null)).sigmoid();
    Model m = Models.random(spec, new Losses.Mse(), Map.of(), 11);
    assertEquals(Shape.image(1, 9, 18), m.network().outputShape());
    float[] x = Models.rows(ROWS, 64, 0, 1, 12);
    assertClose(m.predict(x, ROWS), Ort.flat(Ort.run(OnnxExport.toBytes(m), x, ROWS).get(OnnxExport.OUTPUT)));
  }

  @Test
  void classifiersWithoutAProbabilityHeadGetTheScoresProbabilities() throws Exception {
    float[] x = Models.rows(ROWS, 4, 0, 2, 17);
    Model margin = Models.random(NetworkSpec.input(4).dense(6).tanh().dense(3), new Losses.MulticlassMargin(1f),
        Map.of(), 16);
    Map<String, Object> out = Ort.run(OnnxExport.toBytes(margin), x, ROWS);
    float[] logits = margin.predict(x, ROWS);
    float[] p = Ort.flat(out.get(OnnxExport.PROBABILITY));
    for (int r = 0; r < ROWS; r++) {
      double max = Math.max(logits[3 * r], Math.max(logits[3 * r + 1], logits[3 * r + 2]));
      double sum = 0;
      for (int k = 0; k < 3; k++) {
        sum += Math.exp(logits[3 * r + k] - max);
      }
      for (int k = 0; k < 3; k++) {
        assertEquals(Math.exp(logits[3 * r + k] - max) / sum, p[3 * r + k], 1e-5, "row " + r + " class " + k);
      }
    }
    assertArrayEquals(toLongs(margin.predictClasses(x, ROWS)), (long[]) out.get(OnnxExport.CLASS_INDEX));

    Model hinge = Models.random(NetworkSpec.input(4).dense(6).relu().dense(1), new Losses.Hinge(), Map.of(), 18);
    out = Ort.run(OnnxExport.toBytes(hinge), x, ROWS);
    float[] score = hinge.predict(x, ROWS);
    p = Ort.flat(out.get(OnnxExport.PROBABILITY));
    for (int r = 0; r < ROWS; r++) {
      double q = 1 / (1 + Math.exp(-score[r]));
      assertEquals(1 - q, p[2 * r], 1e-5, "row " + r);
      assertEquals(q, p[2 * r + 1], 1e-5, "row " + r);
    }
    assertArrayEquals(toLongs(hinge.predictClasses(x, ROWS)), (long[]) out.get(OnnxExport.CLASS_INDEX));
  }

  @Test
  void aLayerWithoutAnOnnxFormIsAnErrorNamingIt() {
    Layer custom = new Layer() {
      @Override
      public Shape inputShape() {
        return Shape.vector(3);
      }

      @Override
      public Shape outputShape() {
        return Shape.vector(3);
      }

      @Override
      public void forward(Frame f) {}

      @Override
      public void backward(Frame f) {}
    };
    Network net = new Network(Shape.vector(4), List.of(NetworkSpec.input(4).dense(3).compile().layers().get(0),
        custom));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.build(net,
        net.initParams(1), net.initState(), null, List.of(), new InputScaling.None()));
    assertTrue(e.getMessage().startsWith("network.layers[1] (" + custom.getClass().getName() + ") cannot be "
        + "exported to ONNX"), e.getMessage());
  }

  @Test
  void writeRefusesAnExistingFileUnlessToldAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
    Model m = Models.random(NetworkSpec.input(2).dense(2), new Losses.Mse(), Map.of(), 13);
    Path file = dir.resolve("model.onnx");
    Files.writeString(file, "keep me");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.write(m, file, false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals("keep me", Files.readString(file));
    OnnxExport.write(m, file, true);
    float[] x = Models.rows(3, 2, 0, 1, 14);
    assertClose(m.predict(x, 3), Ort.flat(Ort.run(Files.readAllBytes(file), x, 3).get(OnnxExport.OUTPUT)));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void aScalingThatDoesNotFitIsAnErrorAndWritesNothing(@TempDir Path dir) {
    Model m = Models.random(NetworkSpec.input(3).dense(2), new Losses.Mse(), Map.of("scaling", Map.of("type",
        "standardize", "mean", List.of(1.0, 2.0), "stddev", List.of(1.0, 1.0))), 15);
    Path file = dir.resolve("model.onnx");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.write(m, file, false));
    assertEquals("scaling: the standardization was fitted on 2 features but the network takes 3", e.getMessage());
    assertFalse(Files.exists(file));
    Model odd = Models.random(NetworkSpec.input(3).dense(2), new Losses.Mse(), Map.of("scaling", Map.of("type",
        "minmax")), 15);
    e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(odd));
    assertTrue(e.getMessage().contains("\"minmax\""), e.getMessage());
  }

  private static long[] toLongs(int[] a) {
    long[] r = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i];
    }
    return r;
  }

  /** Element-wise within 1e-5, relative for values above 1. */
  static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "values");
    for (int i = 0; i < expected.length; i++) {
      double tol = 1e-5 * Math.max(1, Math.abs(expected[i]));
      assertTrue(Math.abs(expected[i] - actual[i]) <= tol, "value " + i + ": Treeprop " + expected[i] + ", ONNX "
          + "Runtime " + actual[i]);
    }
  }
}
