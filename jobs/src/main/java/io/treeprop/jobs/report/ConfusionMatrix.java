package io.treeprop.jobs.report;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Counts of (true class, predicted class) pairs over {@code k} classes: the one-pass, mergeable accumulator behind
 * a {@link ClassificationReport}. Rows are the true class, columns the predicted class.
 *
 * <p>Built for one {@code treeAggregate} over scored rows: {@code new ConfusionMatrix(k)} is the zero value,
 * {@link #add} the sequence operation and {@link #merge} the combine operation; both mutate and return
 * {@code this}, as Spark's aggregate contract allows. Counts are integers, so the result does not depend on the
 * order in which partitions merge. Serializable for the zero value inside Spark's closure; Kryo-registered (see
 * {@link ReportKryoRegistrations}) for the partial results.
 */
public final class ConfusionMatrix implements Serializable {
  private static final long serialVersionUID = 1L;
  /**
   * The largest class count: the matrix is dense, and each Spark task holds one ({@code 2,000²} counts are 32 MB),
   * so a larger problem needs a sparse matrix.
   */
  public static final int MAX_CLASSES = 2_000;

  private final int classes;
  private final long[] counts;

  /** An empty matrix for {@code classes} classes (at least 2). */
  public ConfusionMatrix(int classes) {
    if (classes < 2 || classes > MAX_CLASSES) {
      throw new IllegalArgumentException("a confusion matrix needs between 2 and " + MAX_CLASSES
          + " classes, " + classes + " were given");
    }
    this.classes = classes;
    this.counts = new long[classes * classes];
  }

  /**
   * Counts one row whose true class is {@code truth} and predicted class {@code predicted}.
   *
   * @return this
   * @throws IllegalArgumentException when either class is outside {@code [0, classes)}
   */
  public ConfusionMatrix add(int truth, int predicted) {
    counts[index(truth, predicted)]++;
    return this;
  }

  /**
   * Counts every pair {@code (truth[i], predicted[i])}.
   *
   * @return this
   */
  public ConfusionMatrix add(int[] truth, int[] predicted) {
    if (truth.length != predicted.length) {
      throw new IllegalArgumentException("expected as many predictions as true classes, received "
          + predicted.length + " predictions for " + truth.length + " true classes");
    }
    for (int i = 0; i < truth.length; i++) {
      add(truth[i], predicted[i]);
    }
    return this;
  }

  /**
   * Adds another matrix's counts into this one.
   *
   * @return this
   * @throws IllegalArgumentException when the class counts differ
   */
  public ConfusionMatrix merge(ConfusionMatrix other) {
    if (other.classes != classes) {
      throw new IllegalArgumentException("cannot merge a confusion matrix of " + other.classes
          + " classes into one of " + classes);
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    return this;
  }

  /** Number of classes {@code k}. */
  public int classes() {
    return classes;
  }

  /** Rows counted with true class {@code truth} and predicted class {@code predicted}. */
  public long count(int truth, int predicted) {
    return counts[index(truth, predicted)];
  }

  /** All rows counted. */
  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  /** Rows whose true class is {@code c} (the class's support): the sum of row {@code c}. */
  public long truthCount(int c) {
    long t = 0;
    for (int p = 0; p < classes; p++) {
      t += count(c, p);
    }
    return t;
  }

  /** Rows predicted as class {@code c}: the sum of column {@code c}. */
  public long predictedCount(int c) {
    long t = 0;
    for (int r = 0; r < classes; r++) {
      t += count(r, c);
    }
    return t;
  }

  /** A copy of the counts as {@code [truth][predicted]}. */
  public long[][] toArray() {
    long[][] a = new long[classes][];
    for (int r = 0; r < classes; r++) {
      a[r] = Arrays.copyOfRange(counts, r * classes, (r + 1) * classes);
    }
    return a;
  }

  private int index(int truth, int predicted) {
    if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes) {
      throw new IllegalArgumentException("class indices must be in [0, " + (classes - 1) + "], received true "
          + "class " + truth + " and predicted class " + predicted);
    }
    return truth * classes + predicted;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix m && m.classes == classes && Arrays.equals(m.counts, counts);
  }

  @Override
  public int hashCode() {
    return 31 * classes + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "ConfusionMatrix" + Arrays.deepToString(toArray());
  }
}
