package io.treeprop.core.layer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Element-wise (and softmax: row-wise) activation functions. {@code alpha} is the slope of leaky ReLU for x &lt; 0
 * and the saturation of ELU; the others ignore it.
 *
 * <pre>
 * sigmoid(x)    = 1 / (1 + e^-x)
 * tanh(x)
 * relu(x)       = max(0, x)
 * leaky_relu(x) = x if x &gt; 0 else alpha·x            — Maas et al., ICML 2013 workshop
 * elu(x)        = x if x &gt; 0 else alpha·(e^x − 1)     — Clevert et al., ICLR 2016
 * softplus(x)   = log(1 + e^x)
 * softmax(x)_i  = e^(x_i) / Σ_j e^(x_j)
 * sign(x)       = +1 if x ≥ 0 else −1                  — threshold unit, inference only
 * step(x)       = 1 if x ≥ 0 else 0                    — threshold unit (Heaviside), inference only
 * </pre>
 */
public enum ActivationFunction {
  @JsonProperty("sigmoid") SIGMOID,
  @JsonProperty("tanh") TANH,
  @JsonProperty("relu") RELU,
  @JsonProperty("leaky_relu") LEAKY_RELU,
  @JsonProperty("elu") ELU,
  @JsonProperty("softplus") SOFTPLUS,
  @JsonProperty("identity") IDENTITY,
  @JsonProperty("softmax") SOFTMAX,
  @JsonProperty("sign") SIGN,
  @JsonProperty("step") STEP;

  /** Default alpha for leaky ReLU. */
  public static final float DEFAULT_LEAKY_ALPHA = 0.01f;
  /** Default alpha for ELU. */
  public static final float DEFAULT_ELU_ALPHA = 1.0f;

  /** The name used in JSON and configs. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the function has a usable derivative (threshold units do not). */
  public boolean differentiable() {
    return this != SIGN && this != STEP;
  }

  /** True for the ReLU family, whose layers default to He initialization. */
  public boolean rectifier() {
    return this == RELU || this == LEAKY_RELU || this == ELU;
  }

  /** The alpha used when none is given. */
  public float defaultAlpha() {
    return this == ELU ? DEFAULT_ELU_ALPHA : DEFAULT_LEAKY_ALPHA;
  }
}
