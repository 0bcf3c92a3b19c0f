package io.treeprop.jobs.config;

import io.treeprop.jobs.data.Scaling;
import io.treeprop.jobs.data.SourceData;

/**
 * The feature scaling a job asks for ({@code data.scaling}); {@link #fit} turns it into the {@link Scaling} that is
 * applied and stored with the model. Config forms: {@code none}, {@code standardize}, {@code {factor: 0.0039...}}.
 */
public sealed interface ScalingSpec {
  /** The scaling to apply, fitted on the training data where it needs fitting (one Spark job for standardize). */
  Scaling fit(SourceData train);

  /** No scaling. */
  record None() implements ScalingSpec {
    @Override
    public Scaling fit(SourceData train) {
      return new Scaling.None();
    }
  }

  /** Every feature times {@code factor}, e.g. 1/255 for 8-bit pixels; validated by {@link Scaling.Factor}. */
  record Factor(double factor) implements ScalingSpec {
    public Factor {
      new Scaling.Factor(factor);
    }

    @Override
    public Scaling fit(SourceData train) {
      return new Scaling.Factor(factor);
    }
  }

  /** {@code (x − mean) / stddev} per feature, fitted on the training data. */
  record Standardize() implements ScalingSpec {
    @Override
    public Scaling fit(SourceData train) {
      return Scaling.standardize(train);
    }
  }
}
