package io.treeprop.jobs;

import io.treeprop.jobs.data.SourceSpec;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that describe a data set on the command line (evaluate, score). */
final class SourceOptions {
  @Option(names = "--format", description = "idx, libsvm, csv or parquet (default: from the file name: .csv, "
      + ".libsvm/.svm, *-ubyte[.gz] for idx, else parquet).")
  String format;

  @Option(names = "--labels", paramLabel = "PATH", description = "idx: the labels file.")
  String labels;

  @Option(names = "--label-column", description = "csv/parquet: the label column (leave out for unlabelled data).")
  String labelColumn;

  @Option(names = "--features-column", description = "parquet: a vector column holding all features.")
  String featuresColumn;

  @Option(names = "--header", description = "csv: the first line names the columns.")
  boolean header;

  @Option(names = "--delimiter", description = "csv: the field separator (default ,).")
  String delimiter;

  SourceSpec spec(String path) {
    String f = format != null ? format : infer(path);
    return new SourceSpec(f, path, labels, labelColumn, null, featuresColumn, header, delimiter, 0);
  }

  static String infer(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".csv")) {
      return SourceSpec.CSV;
    }
    if (p.endsWith(".libsvm") || p.endsWith(".svm")) {
      return SourceSpec.LIBSVM;
    }
    if (List.of("-ubyte", "-ubyte.gz", ".idx", ".idx.gz").stream().anyMatch(p::endsWith)) {
      return SourceSpec.IDX;
    }
    return SourceSpec.PARQUET;
  }
}
