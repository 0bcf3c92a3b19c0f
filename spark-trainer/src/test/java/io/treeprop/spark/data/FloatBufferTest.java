package io.treeprop.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The packing buffer keeps every value in order across its chunks. */
class FloatBufferTest {
  @Test
  void valuesComeBackInOrderAcrossChunks() {
    for (int n : new int[] {0, 1, FloatBuffer.CHUNK - 1, FloatBuffer.CHUNK, FloatBuffer.CHUNK + 1,
        3 * FloatBuffer.CHUNK + 17}) {
      FloatBuffer b = new FloatBuffer();
      float[] expected = new float[n];
      for (int i = 0; i < n; i++) {
        expected[i] = i * 0.5f - 3;
        b.add(expected[i]);
      }
      assertEquals(n, b.size());
      assertArrayEquals(expected, b.toArray(), "n = " + n);
      // emptied, and usable again
      assertEquals(0, b.size());
      b.add(7f);
      assertArrayEquals(new float[] {7f}, b.toArray());
    }
  }
}
