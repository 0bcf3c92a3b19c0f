package io.treeprop.core.optim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Optimizer configuration: immutable hyperparameters. The moments live in an {@link OptimizerState}; the
 * learning rate of a step comes from a {@link Schedule} applied to {@link #learningRate()}.
 *
 * <pre>
 * SGD:      w −= α g
 * Momentum: Δ = μΔ − α g;  w += Δ                      — Rumelhart, Hinton, Williams 1986
 * Nesterov: Δ' = μΔ − α g;  w += −μΔ + (1 + μ)Δ'        — Sutskever et al., ICML 2013 (Bengio's reformulation)
 * AdaGrad:  G += g²;  w −= α g / (√G + ε)              — Duchi, Hazan, Singer, JMLR 2011
 * RMSProp:  E = ρE + (1−ρ) g²;  w −= α g / (√E + ε)    — Tieleman &amp; Hinton, Coursera lecture 6.5, 2012
 * Adam:     m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;
 *           w −= α (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε) — Kingma &amp; Ba, ICLR 2015
 * AdamW:    w −= α λ w (the weight before the step) on decayed blocks, then Adam
 *                                                       — Loshchilov &amp; Hutter, ICLR 2019
 * </pre>
 *
 * <p>{@link Lbfgs} is the exception: a full-batch solver with a line search, run by the trainers through an
 * {@link LbfgsSolver} instead of {@link #updateInPlace}.
 *
 * JSON: {@code {"type": "adam", "learningRate": 0.001}}; omitted fields take their defaults.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Optimizers.Sgd.class, name = "sgd"),
    @JsonSubTypes.Type(value = Optimizers.Momentum.class, name = "momentum"),
    @JsonSubTypes.Type(value = Optimizers.Nesterov.class, name = "nesterov"),
    @JsonSubTypes.Type(value = Optimizers.AdaGrad.class, name = "adagrad"),
    @JsonSubTypes.Type(value = Optimizers.RmsProp.class, name = "rmsprop"),
    @JsonSubTypes.Type(value = Optimizers.Adam.class, name = "adam"),
    @JsonSubTypes.Type(value = Optimizers.AdamW.class, name = "adamw"),
    @JsonSubTypes.Type(value = Lbfgs.class, name = "lbfgs"),
})
public sealed interface Optimizer permits Optimizers.Sgd, Optimizers.Momentum, Optimizers.Nesterov,
    Optimizers.AdaGrad, Optimizers.RmsProp, Optimizers.Adam, Optimizers.AdamW, Lbfgs {

  /** Base learning rate α (the schedule scales it per step). */
  float learningRate();

  /** Number of moment vectors in the state. */
  int slotCount();

  /** A fresh state for {@code size} parameters. */
  default OptimizerState newState(int size) {
    return new OptimizerState(slotCount(), size);
  }

  /**
   * Applies one update in place.
   *
   * @param lr this step's learning rate
   * @param t 1-based step number (Adam's bias correction)
   * @param decay ranges {@code [start, end)} pairs of decayed parameters (AdamW uses them)
   */
  void updateInPlace(float[] params, float[] grad, float[][] slots, float lr, long t, int[] decay);
}
