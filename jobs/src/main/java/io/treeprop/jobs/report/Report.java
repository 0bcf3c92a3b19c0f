package io.treeprop.jobs.report;

import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.TrainingSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An evaluation report and its directory on any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:}):
 * <pre>
 * metrics.json          the metrics and the training summary ({@link ReportMetrics}), pretty JSON
 * learning-curves.png   loss (and accuracy) per epoch, when the training summary has epochs
 * confusion-matrix.png  for classifiers
 * misclassified.png     for classifiers of images: the most confident mistakes with their true and predicted
 *                       classes ({@link MisclassifiedImages}), when there are any
 * misclassified.csv     the same tiles as a table: tile, row, true, predicted, probability
 * reconstruction.png    for autoencoders of images: inputs, noisy inputs and reconstructions ({@link
 *                       ReconstructionGrid})
 * summary.txt           the headline numbers and the list of files
 * </pre>
 * Call order: {@link #builder()}, set the metrics, optionally the model's details, {@link Builder#build()}, then
 * {@link #write}.
 *
 * <p><b>Writing is all or nothing.</b> Pictures and text are rendered in memory first; the files go into a hidden
 * sibling directory ({@code .name.tmp-<uuid>}, which Hadoop and Spark readers skip) that is renamed to the target,
 * so a failure leaves no partial report under the target name. An existing target is refused unless
 * {@code overwrite} is set, and even then only replaced when it is a report (holds {@code metrics.json}) or
 * empty, so a mistyped path never deletes unrelated data; the old report is moved aside until the new one is in
 * place. Renames are atomic on HDFS and local disks; on object stores (S3A) a rename is a copy, so only the
 * temporary write protects the target there. Local files are written without Hadoop's {@code .crc} side files.
 */
public final class Report {
  /** The metrics file. */
  public static final String METRICS_JSON = "metrics.json";
  /** Loss and accuracy per epoch. */
  public static final String LEARNING_CURVES_PNG = "learning-curves.png";
  /** The classifier's confusion matrix. */
  public static final String CONFUSION_MATRIX_PNG = "confusion-matrix.png";
  /** The classifier's most confident mistakes on images. */
  public static final String MISCLASSIFIED_PNG = "misclassified.png";
  /** The tiles of {@link #MISCLASSIFIED_PNG} as a table. */
  public static final String MISCLASSIFIED_CSV = "misclassified.csv";
  /** An autoencoder's inputs, noisy inputs and reconstructions. */
  public static final String RECONSTRUCTION_PNG = "reconstruction.png";
  /** The headline numbers. */
  public static final String SUMMARY_TXT = "summary.txt";

  private final ReportMetrics metrics;
  private final MisclassifiedImages misclassified;
  private final ReconstructionGrid reconstructions;

  private Report(ReportMetrics metrics, MisclassifiedImages misclassified, ReconstructionGrid reconstructions) {
    this.metrics = metrics;
    this.misclassified = misclassified;
    this.reconstructions = reconstructions;
  }

  /** A builder for a report. */
  public static Builder builder() {
    return new Builder();
  }

  /** What {@code metrics.json} holds. */
  public ReportMetrics metrics() {
    return metrics;
  }

  /**
   * Writes the report directory {@code dir} atomically.
   *
   * @param overwrite whether an existing report at {@code dir} may be replaced
   * @return the fully qualified directory written
   * @throws IllegalArgumentException when {@code dir} exists and may not be replaced
   */
  public Path write(Path dir, Configuration conf, boolean overwrite) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path target = fs.makeQualified(dir);
    if (target.getParent() == null) {
      throw new IllegalArgumentException("a report needs its own directory, not the root of " + target);
    }
    // The raw local file system writes no .crc files; the cached FileSystem instance is left as it is.
    FileSystem out = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    checkTarget(out, target, overwrite);
    Map<String, byte[]> files = render();
    String unique = UUID.randomUUID().toString();
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + unique);
    Path old = new Path(target.getParent(), "." + target.getName() + ".old-" + unique);
    try {
      if (!out.mkdirs(tmp)) {
        throw new IOException("cannot create the directory " + tmp);
      }
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        try (OutputStream o = out.create(new Path(tmp, f.getKey()), false)) {
          o.write(f.getValue());
        }
      }
      replace(out, tmp, target, old, overwrite);
    } finally {
      if (out.exists(tmp)) {
        out.delete(tmp, true);
      }
    }
    return target;
  }

  /** Reads and checks the {@code metrics.json} of the report at {@code dir}. */
  public static ReportMetrics read(Path dir, Configuration conf) throws IOException {
    Path p = new Path(dir, METRICS_JSON);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw new IllegalArgumentException("no report at " + dir + ": " + METRICS_JSON + " is missing");
    }
    try (InputStream in = fs.open(p)) {
      return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), ReportMetrics.class,
          p.toString());
    }
  }

  /** The report's files, in the order listed above, rendered in memory. */
  Map<String, byte[]> render() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(METRICS_JSON, (Json.write(metrics) + "\n").getBytes(StandardCharsets.UTF_8));
    if (LearningCurves.drawable(metrics.training())) {
      files.put(LEARNING_CURVES_PNG, Pictures.png(LearningCurves.render(metrics.training(), metrics.loss())));
    }
    if (metrics.classification() != null) {
      files.put(CONFUSION_MATRIX_PNG, Pictures.png(ConfusionMatrixChart.render(metrics.classification())));
    }
    List<String> notes = new ArrayList<>();
    if (misclassified != null && !misclassified.examples().isEmpty()) {
      files.put(MISCLASSIFIED_PNG, Pictures.png(misclassified.render()));
      files.put(MISCLASSIFIED_CSV, misclassified.csv());
      notes.add(String.format(java.util.Locale.ROOT, "%s: the %d most confident of %,d misclassified test images, "
          + "true and predicted class under each (listed in %s)", MISCLASSIFIED_PNG, misclassified.examples().size(),
          misclassified.misclassified(), MISCLASSIFIED_CSV));
    }
    if (reconstructions != null) {
      files.put(RECONSTRUCTION_PNG, Pictures.png(reconstructions.render()));
      notes.add(RECONSTRUCTION_PNG + ": " + reconstructions.inputs().size() + " test images, rows "
          + String.join(", ", reconstructions.rowNames()));
    }
    List<String> names = new ArrayList<>(files.keySet());
    names.add(SUMMARY_TXT);
    String text = String.join("\n", ReportText.lines(metrics, notes, names)) + "\n";
    files.put(SUMMARY_TXT, text.getBytes(StandardCharsets.UTF_8));
    return files;
  }

  private static void checkTarget(FileSystem fs, Path target, boolean overwrite) throws IOException {
    if (!fs.exists(target)) {
      return;
    }
    if (!overwrite) {
      throw new IllegalArgumentException("the report directory " + target + " already exists; choose another "
          + "path or allow overwriting");
    }
    FileStatus st = fs.getFileStatus(target);
    boolean replaceable = st.isDirectory()
        && (fs.exists(new Path(target, METRICS_JSON)) || fs.listStatus(target).length == 0);
    if (!replaceable) {
      throw new IllegalArgumentException(target + " exists and is not a Treeprop report (no " + METRICS_JSON
          + "); a report replaces only an earlier report or an empty directory, choose another path");
    }
  }

  /** Renames {@code tmp} to {@code target}, moving an existing report aside first and back if that fails. */
  private static void replace(FileSystem fs, Path tmp, Path target, Path old, boolean overwrite)
      throws IOException {
    boolean movedAside = false;
    if (fs.exists(target)) {
      checkTarget(fs, target, overwrite);
      if (!fs.rename(target, old)) {
        throw new IOException("cannot move the existing report " + target + " aside to " + old);
      }
      movedAside = true;
    }
    if (!fs.rename(tmp, target)) {
      if (movedAside) {
        fs.rename(old, target);
      }
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
    if (movedAside) {
      fs.delete(old, true);
    }
  }

  /**
   * Builds a {@link Report}: exactly one of {@link #setClassification}, {@link #setRegression} and
   * {@link #setReconstruction} is required; the rest is optional.
   */
  public static final class Builder {
    private ClassificationReport classification;
    private RegressionReport regression;
    private TrainingSummary training;
    private String loss;
    private String model;
    private String data;
    private MisclassifiedImages misclassified;
    private ReconstructionReport reconstruction;
    private ReconstructionGrid reconstructions;

    private Builder() {}

    /** The metrics of an autoencoder. */
    public Builder setReconstruction(ReconstructionReport r) {
      this.reconstruction = r;
      return this;
    }

    /** An autoencoder's test images and reconstructions, for {@code reconstruction.png}. */
    public Builder optReconstructions(ReconstructionGrid g) {
      this.reconstructions = g;
      return this;
    }

    /** A classifier's misclassified test images, for {@code misclassified.png}. */
    public Builder optMisclassified(MisclassifiedImages m) {
      this.misclassified = m;
      return this;
    }

    /** The metrics of a classifier. */
    public Builder setClassification(ClassificationReport c) {
      this.classification = c;
      return this;
    }

    /** The metrics of a regression model. */
    public Builder setRegression(RegressionReport r) {
      this.regression = r;
      return this;
    }

    /** The training summary, for {@code metrics.json} and the learning curves. */
    public Builder optTraining(TrainingSummary s) {
      this.training = s;
      return this;
    }

    /** The name of the loss the model was trained with. */
    public Builder optLoss(String name) {
      this.loss = name;
      return this;
    }

    /** The evaluated model's training summary and loss name. */
    public Builder optModel(Model m) {
      this.training = m.summary();
      this.loss = m.loss() == null ? null : m.loss().name();
      return this;
    }

    /** Where the evaluated model was loaded from, e.g. its directory. */
    public Builder optModelLocation(String where) {
      this.model = where;
      return this;
    }

    /** What was evaluated, e.g. the data source's description. */
    public Builder optData(String description) {
      this.data = description;
      return this;
    }

    /**
     * The report.
     *
     * @throws IllegalArgumentException unless exactly one kind of metrics was set
     */
    public Report build() {
      int kinds = (classification == null ? 0 : 1) + (regression == null ? 0 : 1) + (reconstruction == null ? 0 : 1);
      if (kinds != 1) {
        throw new IllegalArgumentException("a report needs exactly one of classification, regression and "
            + "reconstruction metrics; " + (kinds == 0 ? "none was" : kinds + " were") + " set");
      }
      String task = classification != null ? ReportMetrics.CLASSIFICATION
          : reconstruction != null ? ReportMetrics.RECONSTRUCTION : ReportMetrics.REGRESSION;
      return new Report(new ReportMetrics(ReportMetrics.FORMAT, ReportMetrics.VERSION, task, model, data, loss,
          classification, regression, training, reconstruction), misclassified, reconstructions);
    }
  }
}
