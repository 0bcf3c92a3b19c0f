package io.treeprop.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.tensor.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * im2col and col2im against their definition, the span copies against the row-by-row loop (bit for bit), patch
 * matrices side by side in a chunk, and a convolution with several samples per product against one per sample.
 */
class PatchesTest {
  /** Windows whose output is as wide as the input at stride 1 (the span path), and two that are not. */
  private static final Window[] WINDOWS = {
      new Window(3, 3, 1, 1, 1, 1), // same 3x3
      new Window(5, 5, 1, 1, 2, 2), // same 5x5, larger than the 2x3 image below
      new Window(3, 1, 1, 1, 1, 0),
      new Window(1, 3, 1, 1, 0, 1),
      new Window(1, 1, 1, 1, 0, 0),
      new Window(3, 3, 1, 1, 0, 0), // valid: narrower output
      new Window(3, 3, 2, 2, 1, 1), // strided
  };
  private static final int[][] IMAGES = {{2, 5, 7}, {3, 4, 4}, {1, 2, 3}, {2, 1, 6}};

  @Test
  void im2colIsItsDefinitionAndSpansCopyWhatRowsCopy() {
    SplittableRandom rng = new SplittableRandom(3);
    int spanCases = 0;
    for (Window win : WINDOWS) {
      for (int[] img : IMAGES) {
        int c = img[0];
        int h = img[1];
        int w = img[2];
        if (h + 2 * win.padH() < win.kernelH() || w + 2 * win.padW() < win.kernelW()) {
          continue;
        }
        int[] out = win.outputSize("conv2d", Shape.image(c, h, w));
        int oh = out[0];
        int ow = out[1];
        int p = oh * ow;
        int k = c * win.kernelH() * win.kernelW();
        float[] x = random(c * h * w, rng);
        // image 1 of a chunk of 3: its patches in columns [p, 2p) of [k, 3p]; the rest must stay untouched
        float[] col = new float[k * 3 * p];
        java.util.Arrays.fill(col, Float.NaN);
        Patches.im2col(x, 0, c, h, w, win, oh, ow, col, p, 3 * p);
        String at = win + " on " + c + "x" + h + "x" + w;
        for (int row = 0; row < k; row++) {
          int ch = row / (win.kernelH() * win.kernelW());
          int i = row / win.kernelW() % win.kernelH();
          int j = row % win.kernelW();
          for (int q = 0; q < 3 * p; q++) {
            float got = col[row * 3 * p + q];
            if (q < p || q >= 2 * p) {
              assertTrue(Float.isNaN(got), at + ": wrote outside its columns");
              continue;
            }
            int iy = (q - p) / ow * win.strideH() - win.padH() + i;
            int ix = (q - p) % ow * win.strideW() - win.padW() + j;
            float want = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0f : x[(ch * h + iy) * w + ix];
            assertEquals(want, got, 0f, at + " row " + row + " column " + q);
          }
        }
        if (win.strideH() == 1 && win.strideW() == 1 && ow == w) {
          spanCases++;
          float[] rows = new float[k * p];
          float[] spans = new float[k * p];
          Patches.im2colRows(x, 0, c, h, w, win, oh, ow, rows, 0, p);
          Patches.im2colSpans(x, 0, c, h, w, win, oh, ow, spans, 0, p);
          assertArrayEquals(rows, spans, at);
        }
      }
    }
    assertTrue(spanCases >= 12, "the span path was exercised " + spanCases + " times");
  }

  @Test
  void col2imIsTheAdjointAndSpansAddWhatRowsAdd() {
    SplittableRandom rng = new SplittableRandom(4);
    for (Window win : WINDOWS) {
      for (int[] img : IMAGES) {
        int c = img[0];
        int h = img[1];
        int w = img[2];
        if (h + 2 * win.padH() < win.kernelH() || w + 2 * win.padW() < win.kernelW()) {
          continue;
        }
        int[] out = win.outputSize("conv2d", Shape.image(c, h, w));
        int p = out[0] * out[1];
        int k = c * win.kernelH() * win.kernelW();
        String at = win + " on " + c + "x" + h + "x" + w;
        // <im2col(x), col> = <x, col2im(col)> for random x and col (image 1 of a chunk of 2)
        float[] x = random(c * h * w, rng);
        float[] col = random(k * 2 * p, rng);
        float[] patches = new float[k * 2 * p];
        Patches.im2col(x, 0, c, h, w, win, out[0], out[1], patches, p, 2 * p);
        double lhs = 0;
        for (int row = 0; row < k; row++) {
          for (int q = p; q < 2 * p; q++) {
            lhs += (double) patches[row * 2 * p + q] * col[row * 2 * p + q];
          }
        }
        float[] back = new float[x.length];
        Patches.accumulateCol2im(col.clone(), p, 2 * p, back, 0, c, h, w, win, out[0], out[1]);
        double rhs = 0;
        for (int i = 0; i < x.length; i++) {
          rhs += (double) x[i] * back[i];
        }
        assertEquals(lhs, rhs, 1e-4 * (1 + Math.abs(lhs)), at);
        if (win.strideH() == 1 && win.strideW() == 1 && out[1] == w) {
          float[] rows = random(x.length, new SplittableRandom(5));
          float[] spans = rows.clone();
          Patches.col2imRows(col.clone(), p, 2 * p, rows, 0, c, h, w, win, out[0], out[1]);
          Patches.col2imSpans(col.clone(), p, 2 * p, spans, 0, c, h, w, win, out[0], out[1]);
          assertArrayEquals(rows, spans, at + ": same terms in the same order");
        }
      }
    }
  }

  @Test
  void aChunkOfSamplesPerProductComputesWhatOneSamplePerProductDoes() {
    Shape in = Shape.image(3, 6, 5);
    Window[] windows = {new Window(3, 3, 1, 1, 1, 1), new Window(3, 2, 2, 1, 1, 0)};
    for (Window win : windows) {
      int batch = 7; // chunks of 3: 3, 3, then 1
      float[][] one = convolve(new Conv2dLayer(in, 4, win, new Initializer.HeNormal(), true, 1), batch);
      float[][] three = convolve(new Conv2dLayer(in, 4, win, new Initializer.HeNormal(), true, 3), batch);
      String[] what = {"output", "gradient", "input gradient"};
      for (int i = 0; i < what.length; i++) {
        for (int j = 0; j < one[i].length; j++) {
          assertEquals(one[i][j], three[i][j], 1e-5f * (1 + Math.abs(one[i][j])), win + " " + what[i] + " " + j);
        }
      }
    }
  }

  /** Output, parameter gradient and input gradient of one forward + backward on random rows. */
  private static float[][] convolve(Conv2dLayer layer, int batch) {
    Network net = new Network(layer.inputShape(), List.of(layer));
    Workspace ws = net.newWorkspace(batch, true);
    SplittableRandom rng = new SplittableRandom(6);
    float[] x = random(batch * layer.inputShape().size(), rng);
    System.arraycopy(x, 0, ws.input(), 0, x.length);
    float[] params = random(net.layout().paramCount(), rng);
    float[] y = net.forward(ws, params, new float[0], batch, true, 0L).clone();
    float[] dy = random(batch * layer.outputShape().size(), rng);
    System.arraycopy(dy, 0, ws.delta(0), 0, dy.length);
    float[] grad = new float[params.length];
    net.backward(ws, grad, 1);
    return new float[][] {java.util.Arrays.copyOf(y, dy.length), grad,
        java.util.Arrays.copyOf(ws.inputGradient(), x.length)};
  }

  private static float[] random(int n, SplittableRandom rng) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextDouble(-1, 1);
    }
    return a;
  }
}
