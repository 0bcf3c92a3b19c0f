package io.treeprop.jobs.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.treeprop.core.model.Json;
import io.treeprop.core.tensor.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the training data of a model was read, saved in its metadata under {@value #METADATA_KEY}, so that
 * {@code evaluate} and {@code score} read new data the same way without being told again: CSV header and
 * delimiter, the label column, and the feature columns <b>by name</b> (so that data whose columns come in another
 * order is read right, and a missing column is an error naming it).
 *
 * @param format the training data's format
 * @param header csv: whether it had a header
 * @param delimiter csv: its delimiter, else null
 * @param labelColumn csv, parquet: its label column, else null
 * @param featureColumns the columns the features were assembled from, in order (csv, parquet); null for vectors
 * @param featuresColumn parquet: the vector column, else null
 */
public record TrainingSource(String format, boolean header, String delimiter, String labelColumn,
    List<String> featureColumns, String featuresColumn) {
  /** The key in a model's metadata map. */
  public static final String METADATA_KEY = "source";

  /** What a model trained on {@code data}, read as {@code spec} says, records. */
  public static TrainingSource of(SourceSpec spec, SourceData data) {
    return new TrainingSource(spec.format(), spec.header(), spec.delimiter(), spec.labelColumn(),
        data.featureColumns(), spec.featuresColumn());
  }

  /** {@code {"source": {...}}}, to merge into a model's metadata. */
  public Map<String, Object> toMetadata() {
    return Map.of(METADATA_KEY, Json.mapper().convertValue(this, Map.class));
  }

  /**
   * The record in a model's metadata, if there is one (models trained before it was recorded have none).
   *
   * @throws IllegalArgumentException for a malformed entry
   */
  public static Optional<TrainingSource> fromMetadata(Map<String, Object> metadata) {
    Object stored = metadata.get(METADATA_KEY);
    if (stored == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().convertValue(stored, TrainingSource.class));
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof JsonProcessingException j) {
        throw Json.explain(j, "model metadata \"" + METADATA_KEY + "\"");
      }
      throw new IllegalArgumentException("invalid model metadata \"" + METADATA_KEY + "\": " + e.getMessage(), e);
    }
  }

  /** What the command line says about new data; null where it says nothing. */
  public record Given(String format, String labels, String labelColumn, String featuresColumn, Boolean header,
      String delimiter, Integer channels, List<Integer> size) {
    /** Without image options. */
    public Given(String format, String labels, String labelColumn, String featuresColumn, Boolean header,
        String delimiter) {
      this(format, labels, labelColumn, featuresColumn, header, delimiter, null, null);
    }
  }

  /** {@link #resolve(String, Given, TrainingSource, Shape, boolean)} for a model taking vectors of this size. */
  public static SourceSpec resolve(String path, Given given, TrainingSource trained, int modelFeatures,
      boolean labelled) {
    return resolve(path, given, trained, Shape.vector(modelFeatures), labelled);
  }

  /**
   * The source spec of new data for a model: what the command line gives, the rest from how the model's training
   * data was read. Format: given, else from the file name, else the training data's, else Parquet. CSV header and
   * delimiter: given, else the training CSV's. Label column (only when {@code labelled}): given, else the
   * training data's. Feature columns: the training data's by name when both sides name their columns (a CSV with
   * a header, or Parquet), or both are CSVs without a header (names {@code _c0, _c1, ...}, by position). LIBSVM:
   * {@code numFeatures} is the model's input size. Image folders: channels and size given, else the model's input
   * shape's when it is an image (so new images are converted and resized to what the model takes), else as the
   * first image; labelled images sit in class folders, unlabelled ones anywhere under the root.
   *
   * @param trained how the model's training data was read, or null when the model does not say
   * @param modelInput the model's input shape
   * @param labelled whether the data must have labels (evaluate) or may lack them (score)
   */
  public static SourceSpec resolve(String path, Given given, TrainingSource trained, Shape modelInput,
      boolean labelled) {
    int modelFeatures = modelInput.size();
    String format = given.format() != null ? given.format() : infer(path);
    if (format == null) {
      format = trained != null ? trained.format() : SourceSpec.PARQUET;
    }
    format = format.toLowerCase(Locale.ROOT);
    boolean csv = format.equals(SourceSpec.CSV);
    boolean fromCsv = trained != null && trained.format().equals(SourceSpec.CSV);
    boolean header = csv && (given.header() != null ? given.header() : fromCsv && trained.header());
    String delimiter = !csv ? null : given.delimiter() != null ? given.delimiter() : fromCsv ? trained.delimiter()
        : null;
    boolean named = format.equals(SourceSpec.CSV) || format.equals(SourceSpec.PARQUET);
    String label = given.labelColumn();
    if (label == null && labelled && named && trained != null && trained.labelColumn() != null) {
      label = trained.labelColumn();
    }
    String featuresColumn = given.featuresColumn();
    List<String> features = null;
    if (named && featuresColumn == null && trained != null) {
      boolean trainedNames = trained.featureColumns() != null && (!fromCsv || trained.header());
      boolean names = !csv || header;
      if (trained.featureColumns() != null && trainedNames == names) {
        features = trained.featureColumns();
      } else if (!csv && trained.featuresColumn() != null) {
        featuresColumn = trained.featuresColumn();
      }
      if (features != null && label != null && features.contains(label)) {
        features = null;
      }
    }
    if (format.equals(SourceSpec.IMAGES)) {
      return images(path, given, modelInput, labelled);
    }
    return new SourceSpec(format, path, given.labels(), label, features, featuresColumn, header, delimiter,
        format.equals(SourceSpec.LIBSVM) ? modelFeatures : 0);
  }

  private static SourceSpec images(String path, Given given, Shape modelInput, boolean labelled) {
    boolean image = modelInput.isImage();
    int channels = given.channels() != null ? given.channels() : image ? modelInput.channels() : 0;
    List<Integer> size = given.size() != null ? given.size()
        : image ? List.of(modelInput.height(), modelInput.width()) : null;
    return new SourceSpec(SourceSpec.IMAGES, path, given.labels(), given.labelColumn(), null, given.featuresColumn(),
        Boolean.TRUE.equals(given.header()), given.delimiter(), 0, channels, size, labelled);
  }

  /** The format a file name says, or null: {@code .csv}, {@code .libsvm}/{@code .svm}, {@code *-ubyte[.gz]}. */
  public static String infer(String path) {
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
    if (p.endsWith(".parquet")) {
      return SourceSpec.PARQUET;
    }
    return null;
  }
}
