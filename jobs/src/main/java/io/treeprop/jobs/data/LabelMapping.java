package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.SourceData.LABEL;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.treeprop.core.model.Json;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

/**
 * Class labels (strings, or numbers) mapped to the class indices 0..k-1 a classifier trains on, fitted on the
 * training data, stored with the model and applied unchanged at evaluation.
 *
 * <p>The order is by <b>value</b>, not by frequency (Spark's StringIndexer default): the index of a class then
 * depends only on which classes occur, not on how often, so a resampled or re-split training set gives the same
 * mapping. Numeric labels (a numeric column, or a string column where every label is a number, as in CSV) sort
 * numerically, so labels that are already 0..k-1 keep their values; string labels sort by Java's
 * {@code String.compareTo} (UTF-16 code units: upper case before lower case). A mapping built with {@link #of}
 * keeps the given order.
 *
 * <p>Stored in the model's metadata under {@value #METADATA_KEY}, e.g. {@code {"numeric": false, "labels":
 * ["bird", "cat", "dog"]}}; numbers are written as {@code 3} for integers and Java's shortest form otherwise.
 *
 * @param numeric whether labels are compared as numbers ({@code "1"}, {@code "1.0"} and {@code 1.0} are one class)
 * @param labels the class names by index
 */
public record LabelMapping(boolean numeric, List<String> labels) implements Serializable {
  /** The key of the mapping in a model's metadata map. */
  public static final String METADATA_KEY = "labelMapping";
  /** More distinct labels than this is a regression target or an ID column, not classes. */
  public static final int MAX_CLASSES = 10_000;
  private static final int SHOWN_LABELS = 20;

  public LabelMapping {
    if (labels == null || labels.isEmpty()) {
      throw new IllegalArgumentException("a label mapping needs at least one class label");
    }
    labels = List.copyOf(labels);
    HashSet<Object> seen = new HashSet<>();
    for (String l : labels) {
      if (numeric && number(l) == null) {
        throw new IllegalArgumentException("the class label \"" + l + "\" is not a number, in a numeric mapping");
      }
      if (!seen.add(numeric ? number(l) : l)) {
        throw new IllegalArgumentException("the class label \"" + l + "\" appears twice in " + shown(labels));
      }
    }
  }

  /** A mapping in the given order: index i is {@code labels.get(i)}; numeric when every label is a number. */
  public static LabelMapping of(List<String> labels) {
    return new LabelMapping(labels.stream().allMatch(l -> number(l) != null), labels);
  }

  /**
   * Fits the mapping on the training labels: one Spark job collecting the distinct labels (nulls are left to the
   * training input check).
   *
   * @throws IllegalArgumentException for unlabelled data, or more than {@link #MAX_CLASSES} distinct labels
   */
  public static LabelMapping fit(SourceData train) {
    Dataset<Row> f = requireLabels(train).frame();
    List<Row> distinct = f.select(f.col(LABEL)).where(f.col(LABEL).isNotNull()).distinct()
        .limit(MAX_CLASSES + 1).collectAsList();
    if (distinct.size() > MAX_CLASSES) {
      throw new IllegalArgumentException(train.description() + ": the label has more than " + MAX_CLASSES
          + " distinct values; classification needs a few classes (is it a regression target or an ID?)");
    }
    if (distinct.isEmpty()) {
      throw new IllegalArgumentException(train.description() + ": no row has a label");
    }
    List<String> raw = new ArrayList<>();
    for (Row r : distinct) {
      if (r.get(0) instanceof Number n && !Double.isFinite(n.doubleValue())) {
        throw new IllegalArgumentException(train.description() + ": a label is " + n + "; class labels must be "
            + "finite numbers or strings");
      }
      raw.add(name(r.get(0)));
    }
    if (raw.stream().allMatch(l -> number(l) != null)) {
      TreeSet<Double> values = new TreeSet<>();
      raw.forEach(l -> values.add(number(l)));
      List<String> names = new ArrayList<>();
      values.forEach(v -> names.add(name(v)));
      return new LabelMapping(true, names);
    }
    return new LabelMapping(false, new ArrayList<>(new TreeSet<>(raw)));
  }

  /** The number of classes. */
  public int size() {
    return labels.size();
  }

  /** The class index of a raw label (a string or a number), or -1 for a label the mapping does not know. */
  public int indexOf(Object label) {
    return new Index(this).lookup(label);
  }

  /**
   * The data with each label replaced by its class index (a double). Checks first, in one Spark job that stops at
   * the first hit, that every label is known.
   *
   * @throws IllegalArgumentException naming the first label that was not seen in training
   */
  public SourceData apply(SourceData data) {
    Dataset<Row> f = requireLabels(data).frame();
    UserDefinedFunction index = functions.udf(new Index(this), DataTypes.DoubleType);
    Column mapped = index.apply(f.col(LABEL));
    List<Row> unseen = f.select(f.col(LABEL)).where(f.col(LABEL).isNotNull().and(mapped.isNull())).limit(1)
        .collectAsList();
    if (!unseen.isEmpty()) {
      Column isUnseen = f.col(LABEL).isNotNull().and(mapped.isNull());
      long rows = f.where(isUnseen).count();
      List<String> values = new ArrayList<>();
      f.where(isUnseen).select(f.col(LABEL)).distinct().limit(SHOWN_LABELS + 1).collectAsList()
          .forEach(r -> values.add(name(r.get(0))));
      throw new IllegalArgumentException(data.description() + ": " + rows + " row(s) have labels never seen in the "
          + "training data: " + shown(values) + "; the model knows " + size() + " classes: " + shown(labels)
          + "; drop those rows, or train on data that has those classes");
    }
    return data.withFrame(f.withColumn(LABEL, mapped));
  }

  /** {@code {"labelMapping": {...}}}: plain maps, lists and values, to merge into a model's metadata. */
  public Map<String, Object> toMetadata() {
    return Map.of(METADATA_KEY, Json.mapper().convertValue(this, Map.class));
  }

  /**
   * The mapping stored in a model's metadata, if there is one.
   *
   * @throws IllegalArgumentException for a malformed entry, naming the problem
   */
  public static Optional<LabelMapping> fromMetadata(Map<String, Object> metadata) {
    Object stored = metadata.get(METADATA_KEY);
    if (stored == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().convertValue(stored, LabelMapping.class));
    } catch (IllegalArgumentException e) {
      // convertValue wraps Jackson's error, which knows the path and the rule
      if (e.getCause() instanceof JsonProcessingException j) {
        throw Json.explain(j, "model metadata \"" + METADATA_KEY + "\"");
      }
      throw new IllegalArgumentException("invalid model metadata \"" + METADATA_KEY + "\": " + e.getMessage(), e);
    }
  }

  private static SourceData requireLabels(SourceData data) {
    if (!data.labeled()) {
      throw new IllegalArgumentException(data.description() + " has no label column; class labels are needed");
    }
    if (!(data.frame().schema().apply(LABEL).dataType() instanceof NumericType)
        && !data.frame().schema().apply(LABEL).dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(data.description() + ": the label has type "
          + data.frame().schema().apply(LABEL).dataType().simpleString() + "; class labels must be strings or numbers");
    }
    return data;
  }

  /** A label's value as a finite double (-0 as 0), or null if it is not a number. */
  static Double number(String label) {
    try {
      double v = Double.parseDouble(label);
      return Double.isFinite(v) ? v + 0.0 : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** How a label is written: strings as they are, integral numbers without ".0". */
  static String name(Object label) {
    if (label instanceof Number n) {
      double v = n.doubleValue();
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
    return label.toString();
  }

  private static String shown(List<String> labels) {
    return labels.size() <= SHOWN_LABELS ? labels.toString()
        : "[" + String.join(", ", labels.subList(0, SHOWN_LABELS)) + ", ... (" + labels.size() + " in all)]";
  }

  /** The lookup, as the function Spark runs on each label; builds its table once per task. */
  private static final class Index implements UDF1<Object, Double> {
    private final LabelMapping mapping;
    private transient Map<Object, Integer> table;

    Index(LabelMapping mapping) {
      this.mapping = mapping;
    }

    @Override
    public Double call(Object label) {
      int i = label == null ? -1 : lookup(label);
      return i < 0 ? null : (double) i;
    }

    int lookup(Object label) {
      if (table == null) {
        table = new HashMap<>();
        for (int i = 0; i < mapping.labels.size(); i++) {
          String l = mapping.labels.get(i);
          table.put(mapping.numeric ? number(l) : l, i);
        }
      }
      Object key = mapping.numeric ? (label instanceof Number n ? n.doubleValue() + 0.0 : number(label.toString()))
          : name(label);
      Integer i = key == null ? null : table.get(key);
      return i == null ? -1 : i;
    }
  }
}
