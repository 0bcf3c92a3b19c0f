package io.treeprop.spark.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A growable float array for packing rows whose count is not known in advance. Values go into fixed chunks of
 * {@link #CHUNK} floats, and {@link #toArray} releases each chunk once copied, so packing {@code n} values holds
 * about {@code n} floats plus one chunk until the copy, and {@code 2n} at most during it — not the up to ~3n of a
 * doubling array (old and new array while it grows, then the trimmed copy).
 */
final class FloatBuffer {
  /** Floats per chunk: 256 KiB. */
  static final int CHUNK = 1 << 16;
  private final List<float[]> chunks = new ArrayList<>();
  private float[] last;
  private int fill = CHUNK;
  private long n;

  void add(float v) {
    if (fill == CHUNK) {
      last = new float[CHUNK];
      chunks.add(last);
      fill = 0;
    }
    last[fill++] = v;
    n++;
  }

  int size() {
    return Math.toIntExact(n);
  }

  /**
   * The values in order. Empties the buffer: each chunk is dropped once copied.
   *
   * @throws ArithmeticException when there are more than {@code Integer.MAX_VALUE} values
   */
  float[] toArray() {
    float[] out = new float[size()];
    int at = 0;
    for (int i = 0; i < chunks.size(); i++) {
      int len = Math.min(CHUNK, out.length - at);
      System.arraycopy(chunks.get(i), 0, out, at, len);
      chunks.set(i, null);
      at += len;
    }
    chunks.clear();
    last = null;
    fill = CHUNK;
    n = 0;
    return out;
  }
}
