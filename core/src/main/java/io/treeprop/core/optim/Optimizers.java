package io.treeprop.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The optimizer implementations; see {@link Optimizer} for the update rules and references. */
public final class Optimizers {
  /** Default learning rates: 0.01 for SGD-family and AdaGrad, 0.001 for RMSProp and the Adam family. */
  public static final float DEFAULT_SGD_LR = 0.01f;
  public static final float DEFAULT_ADAPTIVE_LR = 0.001f;
  public static final float DEFAULT_MOMENTUM = 0.9f;
  public static final float DEFAULT_EPS = 1e-8f;
  public static final float DEFAULT_RHO = 0.9f;
  public static final float DEFAULT_BETA1 = 0.9f;
  public static final float DEFAULT_BETA2 = 0.999f;
  public static final float DEFAULT_ADAMW_DECAY = 0.01f;

  private Optimizers() {}

  static float orDefault(Float v, float d) {
    return v == null ? d : v;
  }

  static void checkRate(String name, float lr) {
    if (!(lr > 0) || !Float.isFinite(lr)) {
      throw new IllegalArgumentException(name + ".learningRate (" + lr + ") must be a positive finite number");
    }
  }

  static void checkUnit(String key, float v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(key + " (" + v + ") must be in [0, 1)");
    }
  }

  static void checkPositive(String key, float v) {
    if (!(v > 0) || !Float.isFinite(v)) {
      throw new IllegalArgumentException(key + " (" + v + ") must be a positive finite number");
    }
  }

  /** Plain stochastic gradient descent. */
  public record Sgd(float learningRate) implements Optimizer {
    public Sgd {
      checkRate("sgd", learningRate);
    }

    /** JSON creator: omitted fields take their defaults. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static Sgd fromJson(@JsonProperty("learningRate") Float learningRate) {
      return new Sgd(orDefault(learningRate, DEFAULT_SGD_LR));
    }

    public Sgd() {
      this(DEFAULT_SGD_LR);
    }

    @Override
    public int slotCount() {
      return 0;
    }

    @Override
    public void updateInPlace(float[] w, float[] g, float[][] s, float lr, long t, int[] decay) {
      for (int i = 0; i < w.length; i++) {
        w[i] -= lr * g[i];
      }
    }
  }

  /** Classical momentum {@code Δ = μΔ − αg; w += Δ}. */
  public record Momentum(float learningRate, float momentum) implements Optimizer {
    public Momentum {
      checkRate("momentum", learningRate);
      checkUnit("momentum.momentum", momentum);
    }

    /** JSON creator: omitted fields take their defaults. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static Momentum fromJson(@JsonProperty("learningRate") Float learningRate, @JsonProperty("momentum") Float momentum) {
      return new Momentum(orDefault(learningRate, DEFAULT_SGD_LR), orDefault(momentum, DEFAULT_MOMENTUM));
    }

    public Momentum() {
      this(DEFAULT_SGD_LR, DEFAULT_MOMENTUM);
    }

    @Override
    public int slotCount() {
      return 1;
    }

    @Override
    public void updateInPlace(float[] w, float[] g, float[][] s, float lr, long t, int[] decay) {
      float[] d = s[0];
      for (int i = 0; i < w.length; i++) {
        d[i] = momentum * d[i] - lr * g[i];
        w[i] += d[i];
      }
    }
  }

  /** Nesterov accelerated gradient, in the form that keeps the parameters at the un-shifted point. */
  public record Nesterov(float learningRate, float momentum) implements Optimizer {
    public Nesterov {
      checkRate("nesterov", learningRate);
      checkUnit("nesterov.momentum", momentum);
    }

    /** JSON creator: omitted fields take their defaults. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static Nesterov fromJson(@JsonProperty("learningRate") Float learningRate, @JsonProperty("momentum") Float momentum) {
      return new Nesterov(orDefault(learningRate, DEFAULT_SGD_LR), orDefault(momentum, DEFAULT_MOMENTUM));
    }

    public Nesterov() {
      this(DEFAULT_SGD_LR, DEFAULT_MOMENTUM);
    }

    @Override
    public int slotCount() {
      return 1;
    }

    @Override
    public void updateInPlace(float[] w, float[] g, float[][] s, float lr, long t, int[] decay) {
      float[] d = s[0];
      for (int i = 0; i < w.length; i++) {
        float prev = d[i];
        d[i] = momentum * prev - lr * g[i];
        w[i] += -momentum * prev + (1 + momentum) * d[i];
      }
    }
  }

  /** AdaGrad: per-parameter rates shrinking with the accumulated squared gradient. */
  public record AdaGrad(float learningRate, float epsilon) implements Optimizer {
    public AdaGrad {
      checkRate("adagrad", learningRate);
      checkPositive("adagrad.epsilon", epsilon);
    }

    /** JSON creator: omitted fields take their defaults. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static AdaGrad fromJson(@JsonProperty("learningRate") Float learningRate, @JsonProperty("epsilon") Float epsilon) {
      return new AdaGrad(orDefault(learningRate, DEFAULT_SGD_LR), orDefault(epsilon, DEFAULT_EPS));
    }

    public AdaGrad() {
      this(DEFAULT_SGD_LR, DEFAULT_EPS);
    }

    @Override
    public int slotCount() {
      return 1;
    }

    @Override
    public void updateInPlace(float[] w, float[] g, float[][] s, float lr, long t, int[] decay) {
      float[] acc = s[0];
      for (int i = 0; i < w.length; i++) {
        acc[i] += g[i] * g[i];
        w[i] -= lr * g[i] / ((float) Math.sqrt(acc[i]) + epsilon);
      }
    }
  }

  /** RMSProp: AdaGrad with an exponential moving average instead of a sum. */
  public record RmsProp(float learningRate, float rho, float epsilon) implements Optimizer {
    public RmsProp {
      checkRate("rmsprop", learningRate);
      checkUnit("rmsprop.rho", rho);
      checkPositive("rmsprop.epsilon", epsilon);
    }

    /** JSON creator: omitted fields take their defaults. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static RmsProp fromJson(@JsonProperty("learningRate") Float learningRate, @JsonProperty("rho") Float rho, @JsonProperty("epsilon") Float epsilon) {
      return new RmsProp(orDefault(learningRate, DEFAULT_ADAPTIVE_LR), orDefault(rho, DEFAULT_RHO), orDefault(epsilon, DEFAULT_EPS));
    }

    public RmsProp() {
      this(DEFAULT_ADAPTIVE_LR, DEFAULT_RHO, DEFAULT_EPS);
    }

    @Override
    public int slotCount() {
      return 1;
    }

    @Override
    public void updateInPlace(float[] w, float[] g, float[][] s, float lr, long t, int[] decay) {
      float[] e = s[0];
      for (int i = 0; i < w.length; i++) {
        e[i] = rho * e[i] + (1 - rho) * g[i] * g[i];
        w[i] -= lr * g[i] / ((float) Math.sqrt(e[i]) + epsilon);
      }
    }
  }

  /** Adam with bias correction. */
  public record Adam(float learningRate, float beta1, float beta2, float epsilon) implements Optimizer {
    public Adam {
      checkRate("adam", learningRate);
      checkUnit("adam.beta1", beta1);
      checkUnit("adam.beta2", beta2);
      checkPositive("adam.epsilon", epsilon);
    }

    /** JSON creator: omitted fields take their defaults. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static Adam fromJson(@JsonProperty("learningRate") Float learningRate, @JsonProperty("beta1") Float beta1, @JsonProperty("beta2") Float beta2, @JsonProperty("epsilon") Float epsilon) {
      return new Adam(orDefault(learningRate, DEFAULT_ADAPTIVE_LR), orDefault(beta1, DEFAULT_BETA1), orDefault(beta2, DEFAULT_BETA2), orDefault(epsilon, DEFAULT_EPS));
    }

    public Adam() {
      this(DEFAULT_ADAPTIVE_LR, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
    }

    public Adam(float learningRate) {
      this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
    }

    @Override
    public int slotCount() {
      return 2;
    }

    @Override
    public void updateInPlace(float[] w, float[] g, float[][] s, float lr, long t, int[] decay) {
      adam(w, g, s, lr, t, beta1, beta2, epsilon);
    }
  }

  /** Adam with decoupled weight decay on the decayed blocks (weights, not biases, by default). */
  public record AdamW(float learningRate, float beta1, float beta2, float epsilon, float weightDecay)
      implements Optimizer {
    public AdamW {
      checkRate("adamw", learningRate);
      checkUnit("adamw.beta1", beta1);
      checkUnit("adamw.beta2", beta2);
      checkPositive("adamw.epsilon", epsilon);
      if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
        throw new IllegalArgumentException("adamw.weightDecay (" + weightDecay + ") must be a finite number >= 0");
      }
    }

    /** JSON creator: omitted fields take their defaults. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static AdamW fromJson(@JsonProperty("learningRate") Float learningRate, @JsonProperty("beta1") Float beta1, @JsonProperty("beta2") Float beta2, @JsonProperty("epsilon") Float epsilon, @JsonProperty("weightDecay") Float weightDecay) {
      return new AdamW(orDefault(learningRate, DEFAULT_ADAPTIVE_LR), orDefault(beta1, DEFAULT_BETA1), orDefault(beta2, DEFAULT_BETA2), orDefault(epsilon, DEFAULT_EPS), orDefault(weightDecay, DEFAULT_ADAMW_DECAY));
    }

    public AdamW() {
      this(DEFAULT_ADAPTIVE_LR, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, DEFAULT_ADAMW_DECAY);
    }

    @Override
    public int slotCount() {
      return 2;
    }

    @Override
    public void updateInPlace(float[] w, float[] g, float[][] s, float lr, long t, int[] decay) {
      float shrink = 1 - lr * weightDecay;
      for (int r = 0; r < decay.length; r += 2) {
        for (int i = decay[r]; i < decay[r + 1]; i++) {
          w[i] *= shrink;
        }
      }
      adam(w, g, s, lr, t, beta1, beta2, epsilon);
    }
  }

  private static void adam(float[] w, float[] g, float[][] s, float lr, long t, float b1, float b2, float eps) {
    float[] m = s[0];
    float[] v = s[1];
    float c1 = (float) (1 - Math.pow(b1, t));
    float c2 = (float) (1 - Math.pow(b2, t));
    float step = lr / c1;
    float rc2 = (float) (1 / Math.sqrt(c2));
    for (int i = 0; i < w.length; i++) {
      float gi = g[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      w[i] -= step * m[i] / ((float) Math.sqrt(v[i]) * rc2 + eps);
    }
  }
}
