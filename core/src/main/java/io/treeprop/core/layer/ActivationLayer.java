package io.treeprop.core.layer;

import io.treeprop.core.tensor.Shape;

/**
 * Applies an {@link ActivationFunction}. Element-wise functions take their derivative from the saved output (the
 * sign of a ReLU-family output is that of its input when alpha ≥ 0), except softplus, which reads its input;
 * softmax is per row with {@code dx_i = y_i (dy_i − Σ_j dy_j y_j)}. So every function but softplus can run
 * {@linkplain #inPlace() in place}, with the same results to the bit.
 */
public final class ActivationLayer implements Layer {
  private final Shape shape;
  private final ActivationFunction fn;
  private final float alpha;

  public ActivationLayer(Shape shape, ActivationFunction fn, float alpha) {
    this.shape = shape;
    this.fn = fn;
    this.alpha = alpha;
  }

  /** The function applied. */
  public ActivationFunction function() {
    return fn;
  }

  @Override
  public Shape inputShape() {
    return shape;
  }

  /** The slope of leaky ReLU or the saturation of ELU; unused by the other functions. */
  public float alpha() {
    return alpha;
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  @Override
  public boolean differentiable() {
    return fn.differentiable();
  }

  /** Every function but softplus (and leaky ReLU or ELU with a negative alpha, which no spec allows). */
  @Override
  public boolean inPlace() {
    return switch (fn) {
      case SOFTPLUS -> false;
      case LEAKY_RELU, ELU -> alpha >= 0;
      default -> true;
    };
  }

  /** Every differentiable function but identity and softplus. */
  @Override
  public boolean backwardReadsOutput() {
    return fn.differentiable() && fn != ActivationFunction.IDENTITY && fn != ActivationFunction.SOFTPLUS;
  }

  @Override
  public void forward(Frame f) {
    float[] x = f.in();
    float[] y = f.out();
    int n = f.batch() * shape.size();
    switch (fn) {
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          y[i] = sigmoid(x[i]);
        }
      }
      case TANH -> {
        for (int i = 0; i < n; i++) {
          y[i] = (float) Math.tanh(x[i]);
        }
      }
      case RELU -> {
        for (int i = 0; i < n; i++) {
          y[i] = Math.max(x[i], 0f);
        }
      }
      case LEAKY_RELU -> {
        for (int i = 0; i < n; i++) {
          y[i] = x[i] > 0 ? x[i] : alpha * x[i];
        }
      }
      case ELU -> {
        for (int i = 0; i < n; i++) {
          y[i] = x[i] > 0 ? x[i] : alpha * (float) Math.expm1(x[i]);
        }
      }
      case SOFTPLUS -> {
        for (int i = 0; i < n; i++) {
          y[i] = softplus(x[i]);
        }
      }
      case IDENTITY -> {
        if (x != y) {
          System.arraycopy(x, 0, y, 0, n);
        }
      }
      case SOFTMAX -> softmaxRows(x, y, f.batch(), shape.size());
      case SIGN -> {
        for (int i = 0; i < n; i++) {
          y[i] = x[i] >= 0 ? 1f : -1f;
        }
      }
      case STEP -> {
        for (int i = 0; i < n; i++) {
          y[i] = x[i] >= 0 ? 1f : 0f;
        }
      }
    }
  }

  @Override
  public void backward(Frame f) {
    float[] dx = f.dIn();
    if (dx == null) {
      return;
    }
    float[] x = f.in();
    float[] y = f.out();
    float[] dy = f.dOut();
    int n = f.batch() * shape.size();
    switch (fn) {
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          dx[i] = dy[i] * y[i] * (1f - y[i]);
        }
      }
      case TANH -> {
        for (int i = 0; i < n; i++) {
          dx[i] = dy[i] * (1f - y[i] * y[i]);
        }
      }
      case RELU -> {
        // dx = y > 0 ? dy : 0 without a branch: the sign is a coin flip per element, and a compiled branch
        // mispredicted half the time made this loop the hottest Java code of a training step (JFR). y = max(x, 0)
        // has x's sign bit pattern where it matters: y > 0 iff x > 0, a NaN x is y's NaN, -0 and 0 give +0.
        for (int i = 0; i < n; i++) {
          int b = Float.floatToRawIntBits(y[i]);
          // all ones iff b > 0 as an int: y > 0, and also a positive NaN, which deliberately passes dy on (a NaN
          // activation means a NaN loss, and the trainers stop on that)
          int keep = ((0 - b) >> 31) & (~b >> 31);
          dx[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dy[i]) & keep);
        }
      }
      case LEAKY_RELU -> {
        // with alpha >= 0, y > 0 iff x > 0
        float[] s = alpha >= 0 ? y : x;
        for (int i = 0; i < n; i++) {
          dx[i] = s[i] > 0 ? dy[i] : alpha * dy[i];
        }
      }
      case ELU -> {
        float[] s = alpha >= 0 ? y : x;
        for (int i = 0; i < n; i++) {
          dx[i] = s[i] > 0 ? dy[i] : dy[i] * (y[i] + alpha);
        }
      }
      case SOFTPLUS -> {
        for (int i = 0; i < n; i++) {
          dx[i] = dy[i] * sigmoid(x[i]);
        }
      }
      case IDENTITY -> {
        if (dy != dx) {
          System.arraycopy(dy, 0, dx, 0, n);
        }
      }
      case SOFTMAX -> softmaxBackward(y, dy, dx, f.batch(), shape.size());
      case SIGN, STEP -> throw new IllegalStateException(
          fn.jsonName() + " is a threshold unit with no gradient: use it for inference only, or train with "
              + "sigmoid/tanh and swap it in afterwards");
    }
  }

  /** Numerically stable logistic function. */
  public static float sigmoid(float x) {
    if (x >= 0) {
      return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
    double e = Math.exp(x);
    return (float) (e / (1.0 + e));
  }

  /** log(1 + e^x) without overflow. */
  public static float softplus(float x) {
    return (float) (Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
  }

  /** Row-wise softmax with the max subtracted for stability; {@code x} and {@code y} may alias. */
  public static void softmaxRows(float[] x, float[] y, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, x[o + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        float e = (float) Math.exp(x[o + j] - max);
        y[o + j] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < cols; j++) {
        y[o + j] *= inv;
      }
    }
  }

  private static void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double dot = 0;
      for (int j = 0; j < cols; j++) {
        dot += dy[o + j] * y[o + j];
      }
      for (int j = 0; j < cols; j++) {
        dx[o + j] = y[o + j] * (float) (dy[o + j] - dot);
      }
    }
  }
}
