package io.treeprop.spark.data;

import java.util.Arrays;

/** A growable float array for packing rows whose count is not known in advance. */
final class FloatBuffer {
  private float[] a = new float[1024];
  private int n;

  void add(float v) {
    if (n == a.length) {
      a = Arrays.copyOf(a, Math.max(1024, (int) Math.min(Integer.MAX_VALUE - 64, a.length * 2L)));
    }
    a[n++] = v;
  }

  int size() {
    return n;
  }

  float[] toArray() {
    return Arrays.copyOf(a, n);
  }
}
