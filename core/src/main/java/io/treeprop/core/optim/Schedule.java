package io.treeprop.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A learning-rate schedule: the rate of optimizer step {@code t} (0-based) given the base rate α₀.
 *
 * <pre>
 * constant:     α₀
 * step:         α₀ · γ^⌊t / every⌋
 * exponential:  α₀ · γ^(t / decaySteps)
 * inverse_time: α₀ / (1 + k·t)
 * cosine:       αmin + ½(α₀ − αmin)(1 + cos(π · min(t, T) / T))   — Loshchilov &amp; Hutter, SGDR, ICLR 2017
 * warmup:       α₀ · (t + 1) / W for t &lt; W, then the wrapped schedule at t − W — Goyal et al. 2017
 * </pre>
 *
 * JSON: {@code {"type": "step", "every": 1000, "gamma": 0.5}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Schedule.Constant.class, name = "constant"),
    @JsonSubTypes.Type(value = Schedule.Step.class, name = "step"),
    @JsonSubTypes.Type(value = Schedule.Exponential.class, name = "exponential"),
    @JsonSubTypes.Type(value = Schedule.InverseTime.class, name = "inverse_time"),
    @JsonSubTypes.Type(value = Schedule.Cosine.class, name = "cosine"),
    @JsonSubTypes.Type(value = Schedule.Warmup.class, name = "warmup"),
})
public sealed interface Schedule {
  /** Learning rate at 0-based step {@code t}. */
  double rate(double base, long t);

  /** Constant rate. */
  record Constant() implements Schedule {
    @Override
    public double rate(double base, long t) {
      return base;
    }
  }

  /** Multiply by {@code gamma} every {@code every} steps. */
  record Step(long every, double gamma) implements Schedule {
    public Step {
      positive("step.every", every);
      unitInterval("step.gamma", gamma);
    }

    @Override
    public double rate(double base, long t) {
      return base * Math.pow(gamma, t / every);
    }
  }

  /** Smooth decay by {@code gamma} per {@code decaySteps} steps. */
  record Exponential(double gamma, long decaySteps) implements Schedule {
    public Exponential {
      unitInterval("exponential.gamma", gamma);
      positive("exponential.decaySteps", decaySteps);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static Exponential fromJson(@JsonProperty("gamma") Double gamma, @JsonProperty("decaySteps") Long decaySteps) {
      if (gamma == null) {
        throw new IllegalArgumentException("exponential.gamma is required: the factor per decaySteps, in (0, 1]");
      }
      return new Exponential(gamma, decaySteps == null ? 1 : decaySteps);
    }

    @Override
    public double rate(double base, long t) {
      return base * Math.pow(gamma, (double) t / decaySteps);
    }
  }

  /** {@code α₀ / (1 + k·t)}. */
  record InverseTime(double k) implements Schedule {
    public InverseTime {
      if (!(k >= 0) || !Double.isFinite(k)) {
        throw new IllegalArgumentException("inverse_time.k (" + k + ") must be a finite number >= 0");
      }
    }

    @Override
    public double rate(double base, long t) {
      return base / (1 + k * t);
    }
  }

  /** Cosine annealing from α₀ to {@code minRate} over {@code totalSteps}, then flat. */
  record Cosine(long totalSteps, double minRate) implements Schedule {
    public Cosine {
      positive("cosine.totalSteps", totalSteps);
      if (!(minRate >= 0) || !Double.isFinite(minRate)) {
        throw new IllegalArgumentException("cosine.minRate (" + minRate + ") must be a finite number >= 0");
      }
    }

    @Override
    public double rate(double base, long t) {
      double progress = Math.min(t, totalSteps) / (double) totalSteps;
      return minRate + 0.5 * (base - minRate) * (1 + Math.cos(Math.PI * progress));
    }
  }

  /** Linear warm-up over {@code steps} steps, then {@code then} (default constant) counted from the warm-up's end. */
  record Warmup(long steps, Schedule then) implements Schedule {
    public Warmup {
      positive("warmup.steps", steps);
      if (then == null) {
        then = new Constant();
      }
      if (then instanceof Warmup) {
        throw new IllegalArgumentException("warmup.then cannot be another warmup");
      }
    }

    @Override
    public double rate(double base, long t) {
      return t < steps ? base * (t + 1) / steps : then.rate(base, t - steps);
    }
  }

  private static void positive(String key, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(key + " (" + v + ") must be a positive integer");
    }
  }

  private static void unitInterval(String key, double v) {
    if (!(v > 0 && v <= 1)) {
      throw new IllegalArgumentException(key + " (" + v + ") must be in (0, 1]");
    }
  }
}
