package io.treeprop.jobs.data;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.treeprop.core.model.Json;
import io.treeprop.spark.score.BlockScorer;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;

/**
 * Feature scaling of the {@code features} column, fitted once (on the training data only) and stored with the
 * model, so that evaluation and scoring apply exactly the same transformation.
 *
 * <pre>
 * none:         x
 * factor:       x · factor                    e.g. 1/255 for 8-bit pixels; keeps sparse vectors sparse
 * standardize:  (x − mean) / stddev           per feature; mean and the sample standard deviation (n − 1, as
 *                                             Spark ML's StandardScaler) fitted on the training data; a feature
 *                                             that is constant there has stddev stored as 1 (it is only centred)
 * </pre>
 *
 * Stored in the model's metadata under {@value #METADATA_KEY} as plain JSON, e.g. {@code {"type": "factor",
 * "factor": 0.00392156862745098}}; doubles are written with Jackson's shortest round-trip form, so a reloaded
 * scaling is bit-for-bit the fitted one.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Scaling.None.class, name = "none"),
    @JsonSubTypes.Type(value = Scaling.Factor.class, name = "factor"),
    @JsonSubTypes.Type(value = Scaling.Standardize.class, name = "standardize"),
})
public sealed interface Scaling extends BlockScorer.FeatureTransform {
  /** The key of the scaling in a model's metadata map. */
  String METADATA_KEY = "scaling";

  /** One row's features, scaled; the input is not changed. */
  Vector transform(Vector x);

  /**
   * Dense features scaled in place, the same arithmetic as {@link #transform}: what the block scorer applies as
   * it reads each row.
   */
  @Override
  void apply(double[] v, int d);

  /**
   * Scaled values back in the data's own units, in place: the inverse of {@link #apply(double[], int)}, for
   * pictures of what a network gives back (an autoencoder's reconstructions).
   */
  void unapply(double[] v, int d);

  /**
   * Checks that the data can be scaled.
   *
   * @throws IllegalArgumentException when the scaling was fitted on another number of features
   */
  default void check(SourceData data) {}

  /**
   * The data with its {@code features} scaled (lazily, row by row).
   *
   * @throws IllegalArgumentException when the scaling was fitted on another number of features
   */
  default SourceData apply(SourceData data) {
    UDF1<Vector, Vector> f = v -> v == null ? null : transform(v);
    return data.withFrame(data.frame().withColumn(SourceData.FEATURES,
        functions.udf(f, SQLDataTypes.VectorType()).apply(data.frame().col(SourceData.FEATURES))));
  }

  /** {@code {"scaling": {...}}}: plain maps, lists and numbers, to merge into a model's metadata. */
  default Map<String, Object> toMetadata() {
    return Map.of(METADATA_KEY, Json.mapper().convertValue(this, Map.class));
  }

  /**
   * The scaling stored in a model's metadata; {@link None} when there is none (a model trained unscaled).
   *
   * @throws IllegalArgumentException for a malformed entry, naming the problem
   */
  static Scaling fromMetadata(Map<String, Object> metadata) {
    Object stored = metadata.get(METADATA_KEY);
    if (stored == null) {
      return new None();
    }
    try {
      return Json.mapper().convertValue(stored, Scaling.class);
    } catch (IllegalArgumentException e) {
      // convertValue wraps Jackson's error, which knows the path and the rule
      if (e.getCause() instanceof JsonProcessingException j) {
        throw Json.explain(j, "model metadata \"" + METADATA_KEY + "\"");
      }
      throw new IllegalArgumentException("invalid model metadata \"" + METADATA_KEY + "\": " + e.getMessage(), e);
    }
  }

  /**
   * Fits a standardization on the training data: one Spark job (Spark ML's {@link Summarizer}).
   *
   * @throws IllegalArgumentException when a feature's mean or deviation is not finite
   */
  static Standardize standardize(SourceData train) {
    Row r = train.frame().select(Summarizer.metrics("mean", "std").summary(train.frame().col(SourceData.FEATURES))
        .as("s")).select("s.mean", "s.std").first();
    double[] mean = ((Vector) r.get(0)).toArray();
    double[] std = ((Vector) r.get(1)).toArray();
    for (int j = 0; j < std.length; j++) {
      if (!Double.isFinite(mean[j]) || !Double.isFinite(std[j])) {
        throw new IllegalArgumentException(train.description() + ": feature " + j + " has mean " + mean[j]
            + " and standard deviation " + std[j] + "; standardizing needs finite values");
      }
      // zero variance: centre only; the relative floor catches round-off in a constant column's variance
      if (std[j] <= 1e-12 * Math.max(1, Math.abs(mean[j]))) {
        std[j] = 1;
      }
    }
    return new Standardize(mean, std);
  }

  /** No scaling. */
  record None() implements Scaling {
    @Override
    public Vector transform(Vector x) {
      return x;
    }

    @Override
    public void apply(double[] v, int d) {}

    @Override
    public void unapply(double[] v, int d) {}

    @Override
    public SourceData apply(SourceData data) {
      return data;
    }
  }

  /** Every feature times {@code factor} (finite, non-zero). */
  record Factor(double factor) implements Scaling {
    public Factor {
      if (!Double.isFinite(factor) || factor == 0) {
        throw new IllegalArgumentException("scaling factor is " + factor + "; it must be a finite non-zero number, "
            + "e.g. 0.00392156862745098 (1/255) for 8-bit pixels");
      }
    }

    @Override
    public Vector transform(Vector x) {
      if (x instanceof SparseVector s) {
        double[] v = s.values().clone();
        for (int i = 0; i < v.length; i++) {
          v[i] *= factor;
        }
        return new SparseVector(s.size(), s.indices(), v);
      }
      double[] v = x.toArray().clone();
      apply(v, v.length);
      return new DenseVector(v);
    }

    @Override
    public void apply(double[] v, int d) {
      for (int i = 0; i < d; i++) {
        v[i] *= factor;
      }
    }

    @Override
    public void unapply(double[] v, int d) {
      for (int i = 0; i < d; i++) {
        v[i] /= factor;
      }
    }
  }

  /**
   * {@code (x − mean) / stddev} per feature.
   *
   * @param mean the training mean of each feature
   * @param stddev the divisor of each feature: its training standard deviation, or 1 where that was 0
   */
  record Standardize(double[] mean, double[] stddev) implements Scaling {
    public Standardize {
      if (mean == null || stddev == null || mean.length == 0 || mean.length != stddev.length) {
        throw new IllegalArgumentException("standardize needs one mean and one stddev per feature; got "
            + (mean == null ? "no" : mean.length) + " means and " + (stddev == null ? "no" : stddev.length)
            + " stddevs");
      }
      for (int j = 0; j < mean.length; j++) {
        if (!Double.isFinite(mean[j]) || !(stddev[j] > 0) || !Double.isFinite(stddev[j])) {
          throw new IllegalArgumentException("standardize: feature " + j + " has mean " + mean[j] + " and stddev "
              + stddev[j] + "; means must be finite and stddevs finite and positive");
        }
      }
      mean = mean.clone();
      stddev = stddev.clone();
    }

    @Override
    public void check(SourceData data) {
      if (data.features() != mean.length) {
        throw new IllegalArgumentException(data.description() + " has " + data.features() + " features; the "
            + "standardization was fitted on " + mean.length);
      }
    }

    @Override
    public SourceData apply(SourceData data) {
      check(data);
      return Scaling.super.apply(data);
    }

    @Override
    public Vector transform(Vector x) {
      if (x.size() != mean.length) {
        throw new IllegalArgumentException("a row has " + x.size() + " features; the standardization was fitted on "
            + mean.length);
      }
      double[] v = x.toArray().clone();
      apply(v, v.length);
      return new DenseVector(v);
    }

    @Override
    public void apply(double[] v, int d) {
      for (int j = 0; j < d; j++) {
        v[j] = (v[j] - mean[j]) / stddev[j];
      }
    }

    @Override
    public void unapply(double[] v, int d) {
      for (int j = 0; j < d; j++) {
        v[j] = v[j] * stddev[j] + mean[j];
      }
    }

    @Override
    public double[] mean() {
      return mean.clone();
    }

    @Override
    public double[] stddev() {
      return stddev.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Standardize s && Arrays.equals(mean, s.mean) && Arrays.equals(stddev, s.stddev);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(mean) + Arrays.hashCode(stddev);
    }

    @Override
    public String toString() {
      return "Standardize[" + mean.length + " features, mean " + Arrays.toString(mean) + ", stddev "
          + Arrays.toString(stddev) + "]";
    }
  }
}
