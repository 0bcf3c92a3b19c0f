package io.treeprop.core.init;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.SplittableRandom;

/**
 * How a parameter block gets its first values. {@code fanIn}/{@code fanOut} are the number of inputs feeding one
 * output unit and the number of outputs one input feeds (for convolution: times the kernel area).
 *
 * <pre>
 * He:     Var = 2 / fanIn                — He et al., "Delving Deep into Rectifiers", ICCV 2015
 * Xavier: Var = 2 / (fanIn + fanOut)     — Glorot &amp; Bengio, "Understanding the difficulty of training deep
 *                                          feedforward neural networks", AISTATS 2010
 * </pre>
 *
 * JSON: {@code {"type": "he_normal"}}, {@code {"type": "uniform", "low": -0.05, "high": 0.05}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Initializer.Zeros.class, name = "zeros"),
    @JsonSubTypes.Type(value = Initializer.Constant.class, name = "constant"),
    @JsonSubTypes.Type(value = Initializer.Uniform.class, name = "uniform"),
    @JsonSubTypes.Type(value = Initializer.Normal.class, name = "normal"),
    @JsonSubTypes.Type(value = Initializer.HeNormal.class, name = "he_normal"),
    @JsonSubTypes.Type(value = Initializer.HeUniform.class, name = "he_uniform"),
    @JsonSubTypes.Type(value = Initializer.XavierNormal.class, name = "xavier_normal"),
    @JsonSubTypes.Type(value = Initializer.XavierUniform.class, name = "xavier_uniform"),
})
public sealed interface Initializer {
  /** Fills {@code a[offset, offset + length)}. */
  void fill(float[] a, int offset, int length, int fanIn, int fanOut, SplittableRandom rng);

  /** All zeros: the bias default; for weights it leaves every unit identical (symmetry is never broken). */
  record Zeros() implements Initializer {
    @Override
    public void fill(float[] a, int offset, int length, int fanIn, int fanOut, SplittableRandom rng) {
      java.util.Arrays.fill(a, offset, offset + length, 0f);
    }
  }

  /** Every value {@code value}. */
  record Constant(float value) implements Initializer {
    public Constant {
      requireFinite("constant.value", value);
    }

    @Override
    public void fill(float[] a, int offset, int length, int fanIn, int fanOut, SplittableRandom rng) {
      java.util.Arrays.fill(a, offset, offset + length, value);
    }
  }

  /** Uniform on {@code [low, high)}. */
  record Uniform(float low, float high) implements Initializer {
    public Uniform {
      requireFinite("uniform.low", low);
      requireFinite("uniform.high", high);
      if (!(low < high)) {
        throw new IllegalArgumentException("uniform.low (" + low + ") must be below uniform.high (" + high + ")");
      }
    }

    @Override
    public void fill(float[] a, int offset, int length, int fanIn, int fanOut, SplittableRandom rng) {
      uniform(a, offset, length, low, high, rng);
    }
  }

  /** Normal with the given mean and standard deviation. */
  record Normal(float mean, float std) implements Initializer {
    public Normal {
      requireFinite("normal.mean", mean);
      if (!(std > 0) || !Float.isFinite(std)) {
        throw new IllegalArgumentException("normal.std (" + std + ") must be a positive finite number");
      }
    }

    @Override
    public void fill(float[] a, int offset, int length, int fanIn, int fanOut, SplittableRandom rng) {
      normal(a, offset, length, mean, std, rng);
    }
  }

  /** N(0, 2/fanIn): for the ReLU family. */
  record HeNormal() implements Initializer {
    @Override
    public void fill(float[] a, int offset, int length, int fanIn, int fanOut, SplittableRandom rng) {
      normal(a, offset, length, 0, Math.sqrt(2.0 / fanIn), rng);
    }
  }

  /** U(±sqrt(6/fanIn)): variance 2/fanIn. */
  record HeUniform() implements Initializer {
    @Override
    public void fill(float[] a, int offset, int length, int fanIn, int fanOut, SplittableRandom rng) {
      double r = Math.sqrt(6.0 / fanIn);
      uniform(a, offset, length, -r, r, rng);
    }
  }

  /** N(0, 2/(fanIn+fanOut)): for tanh and sigmoid. */
  record XavierNormal() implements Initializer {
    @Override
    public void fill(float[] a, int offset, int length, int fanIn, int fanOut, SplittableRandom rng) {
      normal(a, offset, length, 0, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
    }
  }

  /** U(±sqrt(6/(fanIn+fanOut))). */
  record XavierUniform() implements Initializer {
    @Override
    public void fill(float[] a, int offset, int length, int fanIn, int fanOut, SplittableRandom rng) {
      double r = Math.sqrt(6.0 / (fanIn + fanOut));
      uniform(a, offset, length, -r, r, rng);
    }
  }

  private static void uniform(float[] a, int offset, int length, double low, double high, SplittableRandom rng) {
    for (int i = offset; i < offset + length; i++) {
      a[i] = (float) rng.nextDouble(low, high);
    }
  }

  private static void normal(float[] a, int offset, int length, double mean, double std, SplittableRandom rng) {
    for (int i = offset; i < offset + length; i += 2) {
      // Box–Muller, both outputs used.
      double u1 = 1.0 - rng.nextDouble();
      double u2 = rng.nextDouble();
      double r = Math.sqrt(-2.0 * Math.log(u1));
      a[i] = (float) (mean + std * r * Math.cos(2 * Math.PI * u2));
      if (i + 1 < offset + length) {
        a[i + 1] = (float) (mean + std * r * Math.sin(2 * Math.PI * u2));
      }
    }
  }

  private static void requireFinite(String name, float v) {
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException(name + " (" + v + ") must be a finite number");
    }
  }
}
