package io.treeprop.jobs;

import io.treeprop.core.model.Model;
import io.treeprop.jobs.data.SourceSpec;
import io.treeprop.jobs.data.TrainingSource;
import picocli.CommandLine.Option;

/**
 * The options that describe a data set on the command line (evaluate, score); what they leave out comes from how
 * the model's training data was read ({@link TrainingSource}).
 */
final class SourceOptions {
  @Option(names = "--format", description = "idx, libsvm, csv, parquet or images (default: from the file name: "
      + ".csv, .libsvm/.svm, *-ubyte[.gz] for idx, .parquet; else the training data's format).")
  String format;

  @Option(names = "--labels", paramLabel = "PATH", description = "idx: the labels file.")
  String labels;

  @Option(names = "--label-column", description = "csv/parquet: the label column (default: the training data's).")
  String labelColumn;

  @Option(names = "--features-column", description = "parquet: a vector column holding all features.")
  String featuresColumn;

  @Option(names = "--header", negatable = true, description = "csv: the first line names the columns (default: as "
      + "in the training data; --no-header to say it has none).")
  Boolean header;

  @Option(names = "--delimiter", description = "csv: the field separator (default: the training data's, else ,).")
  String delimiter;

  @Option(names = "--channels", description = "images: 1 (grey) or 3 (colour) (default: the model's input "
      + "channels).")
  Integer channels;

  @Option(names = "--size", split = ",", paramLabel = "H,W", description = "images: resize every image to H×W "
      + "pixels (default: the model's input height and width).")
  java.util.List<Integer> size;

  /** The spec of the data at {@code path} for {@code model}; {@code labelled}: evaluation needs labels. */
  SourceSpec spec(String path, Model model, boolean labelled) {
    TrainingSource.Given given = new TrainingSource.Given(format, labels, labelColumn, featuresColumn, header,
        delimiter, channels, size);
    return TrainingSource.resolve(path, given, TrainingSource.fromMetadata(model.metadata()).orElse(null),
        model.network().inputShape(), labelled);
  }
}
