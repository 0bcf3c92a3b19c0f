package io.treeprop.core.layer;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.tensor.Shape;

/**
 * Batch normalization per feature (vector input {@code [d]}: {@code C = d}, {@code S = 1}) or per channel (image
 * input {@code [c, h, w]}: {@code C = c}, {@code S = h·w}), over the {@code M = batch·S} values of one
 * micro-batch. Parameters {@code gamma: [C]} (init 1) and {@code beta: [C]} (init 0); state
 * {@code running_mean: [C]} (init 0) and {@code running_var: [C]} (init 1).
 *
 * <pre>
 * training:  μ = Σ x / M,  σ² = Σ (x − μ)² / M,  x̂ = (x − μ) / √(σ² + ε),  y = γ·x̂ + β
 *            running_mean ← (1 − m)·running_mean + m·μ
 *            running_var  ← (1 − m)·running_var  + m·σ²·M/(M − 1)     (unbiased; σ² itself when M = 1)
 * inference: y = γ·(x − running_mean) / √(running_var + ε) + β
 * backward (training): dγ += Σ dy·x̂,  dβ += Σ dy,  dx = γ/(M·√(σ² + ε)) · (M·dy − Σ dy − x̂·Σ dy·x̂)
 * </pre>
 *
 * PyTorch's conventions (momentum {@code m} weights the new statistic). Forward keeps μ and 1/√(σ² + ε) per
 * channel in the frame's scratch for backward.
 *
 * <pre>Ioffe, Szegedy, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate
 * Shift", ICML 2015</pre>
 */
public final class BatchNormLayer implements Layer {
  private final Shape shape;
  private final int channels;
  private final int spatial;
  private final float momentum;
  private final float epsilon;

  public BatchNormLayer(Shape shape, float momentum, float epsilon) {
    this.shape = shape;
    this.channels = shape.isImage() ? shape.channels() : shape.size();
    this.spatial = shape.isImage() ? shape.height() * shape.width() : 1;
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  @Override
  public Shape inputShape() {
    return shape;
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  @Override
  public void declare(ParamLayout.Builder layout) {
    layout.bias("gamma", channels, new Initializer.Constant(1f));
    layout.bias("beta", channels, new Initializer.Zeros());
    layout.state("running_mean", channels, new Initializer.Zeros());
    layout.state("running_var", channels, new Initializer.Constant(1f));
  }

  /** Offset of value {@code s} of channel {@code ch} in row {@code r}. */
  private int at(int r, int ch) {
    return r * shape.size() + ch * spatial;
  }

  @Override
  public void forward(Frame f) {
    int n = f.batch();
    float[] x = f.in();
    float[] y = f.out();
    float[] p = f.params();
    int g = f.paramOffset();
    int st = f.stateOffset();
    float[] stats = f.scratch(2 * channels);
    long m = (long) n * spatial;
    for (int ch = 0; ch < channels; ch++) {
      float mean;
      float inv;
      if (f.training()) {
        double s = 0;
        for (int r = 0; r < n; r++) {
          s += sum(x, at(r, ch), spatial);
        }
        double mu = s / m;
        double q = 0;
        for (int r = 0; r < n; r++) {
          q += squaredDeviations(x, at(r, ch), spatial, mu);
        }
        double var = q / m;
        mean = (float) mu;
        inv = (float) (1 / Math.sqrt(var + epsilon));
        float[] ns = f.newState();
        if (ns != null) {
          float[] old = f.state();
          ns[st + ch] = (float) ((1 - momentum) * old[st + ch] + momentum * mu);
          double unbiased = m > 1 ? q / (m - 1) : var;
          ns[st + channels + ch] = (float) ((1 - momentum) * old[st + channels + ch] + momentum * unbiased);
        }
      } else {
        mean = f.state()[st + ch];
        inv = (float) (1 / Math.sqrt(f.state()[st + channels + ch] + (double) epsilon));
      }
      stats[ch] = mean;
      stats[channels + ch] = inv;
      float a = p[g + ch] * inv;
      float b = p[g + channels + ch] - mean * a;
      for (int r = 0; r < n; r++) {
        for (int i = at(r, ch), end = i + spatial; i < end; i++) {
          y[i] = x[i] * a + b;
        }
      }
    }
  }

  @Override
  public void backward(Frame f) {
    int n = f.batch();
    float[] x = f.in();
    float[] dy = f.dOut();
    float[] dx = f.dIn();
    float[] p = f.params();
    float[] grad = f.grad();
    int g = f.paramOffset();
    float[] stats = f.scratch(2 * channels);
    long m = (long) n * spatial;
    for (int ch = 0; ch < channels; ch++) {
      float mean = stats[ch];
      float inv = stats[channels + ch];
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int r = 0; r < n; r++) {
        sumDy += sum(dy, at(r, ch), spatial);
        sumDyXhat += sumProducts(dy, x, at(r, ch), spatial, mean, inv);
      }
      grad[g + ch] += (float) sumDyXhat;
      grad[g + channels + ch] += (float) sumDy;
      if (dx == null) {
        continue;
      }
      float gamma = p[g + ch];
      if (!f.training()) {
        float a = gamma * inv;
        for (int r = 0; r < n; r++) {
          for (int i = at(r, ch), end = i + spatial; i < end; i++) {
            dx[i] = dy[i] * a;
          }
        }
        continue;
      }
      float scale = gamma * inv / m;
      float sdy = (float) sumDy;
      float sdyx = (float) sumDyXhat;
      for (int r = 0; r < n; r++) {
        for (int i = at(r, ch), end = i + spatial; i < end; i++) {
          dx[i] = scale * (m * dy[i] - sdy - (x[i] - mean) * inv * sdyx);
        }
      }
    }
  }

  // The sums below keep four running sums: one would wait on each double add's latency (they were most of the
  // layer's time); the order differs from one running sum only in rounding.

  /** {@code Σ a[from … from + len)} in double. */
  private static double sum(float[] a, int from, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = from;
    for (int end = from + len; i + 3 < end; i += 4) {
      s0 += a[i];
      s1 += a[i + 1];
      s2 += a[i + 2];
      s3 += a[i + 3];
    }
    for (int end = from + len; i < end; i++) {
      s0 += a[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@code Σ (a[i] − mu)²} over {@code [from, from + len)}. */
  private static double squaredDeviations(float[] a, int from, int len, double mu) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = from;
    for (int end = from + len; i + 3 < end; i += 4) {
      double d0 = a[i] - mu;
      double d1 = a[i + 1] - mu;
      double d2 = a[i + 2] - mu;
      double d3 = a[i + 3] - mu;
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (int end = from + len; i < end; i++) {
      double d = a[i] - mu;
      s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@code Σ dy[i] · ((x[i] − mean) · inv)} over {@code [from, from + len)}, products in float. */
  private static double sumProducts(float[] dy, float[] x, int from, int len, float mean, float inv) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = from;
    for (int end = from + len; i + 3 < end; i += 4) {
      s0 += dy[i] * ((x[i] - mean) * inv);
      s1 += dy[i + 1] * ((x[i + 1] - mean) * inv);
      s2 += dy[i + 2] * ((x[i + 2] - mean) * inv);
      s3 += dy[i + 3] * ((x[i + 3] - mean) * inv);
    }
    for (int end = from + len; i < end; i++) {
      s0 += dy[i] * ((x[i] - mean) * inv);
    }
    return (s0 + s1) + (s2 + s3);
  }
}
