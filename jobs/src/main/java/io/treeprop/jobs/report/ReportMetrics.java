package io.treeprop.jobs.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.treeprop.core.model.TrainingSummary;

/**
 * The content of a report's {@code metrics.json}: what was evaluated and the metrics, plus how the model was
 * trained when known. Exactly one of {@code classification}, {@code regression} and {@code reconstruction} is
 * present, as {@code task} says; absent optional fields are left out of the JSON.
 *
 * @param format always {@value #FORMAT}
 * @param version {@value #VERSION}
 * @param task {@value #CLASSIFICATION}, {@value #REGRESSION} or {@value #RECONSTRUCTION}
 * @param model where the model came from (e.g. its directory), or null
 * @param data what was evaluated (e.g. the data source's description), or null
 * @param loss the loss the model was trained with, or null
 * @param training the model's training summary, or null
 * @param reconstruction an autoencoder's reconstruction error
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportMetrics(String format, int version, String task, String model, String data, String loss,
    ClassificationReport classification, RegressionReport regression, TrainingSummary training,
    ReconstructionReport reconstruction) {
  /** The {@code format} of every metrics.json. */
  public static final String FORMAT = "treeprop-report";
  /** The current version of the format. */
  public static final int VERSION = 1;
  /** {@code task} of a classification report. */
  public static final String CLASSIFICATION = "classification";
  /** {@code task} of a regression report. */
  public static final String REGRESSION = "regression";
  /** {@code task} of an autoencoder's report. */
  public static final String RECONSTRUCTION = "reconstruction";

  public ReportMetrics {
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException("format must be \"" + FORMAT + "\", received \"" + format + "\"");
    }
    if (version != VERSION) {
      throw new IllegalArgumentException("this Treeprop reads report version " + VERSION + ", received " + version);
    }
    boolean classifies = CLASSIFICATION.equals(task);
    boolean reconstructs = RECONSTRUCTION.equals(task);
    if (!classifies && !reconstructs && !REGRESSION.equals(task)) {
      throw new IllegalArgumentException("task must be \"" + CLASSIFICATION + "\", \"" + REGRESSION + "\" or \""
          + RECONSTRUCTION + "\", received \"" + task + "\"");
    }
    if ((classification != null) != classifies || (reconstruction != null) != reconstructs
        || (regression != null) == (classifies || reconstructs)) {
      throw new IllegalArgumentException("a " + task + " report holds exactly the \"" + task + "\" metrics");
    }
  }
}
