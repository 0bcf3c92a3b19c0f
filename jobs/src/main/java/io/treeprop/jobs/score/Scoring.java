package io.treeprop.jobs.score;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.Workspace;
import io.treeprop.jobs.data.LabelMapping;
import io.treeprop.jobs.data.Scaling;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.spark.score.BlockScorer;
import io.treeprop.spark.score.ClassScores;
import io.treeprop.spark.train.Weights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.reflect.ClassTag$;

/**
 * Batch scoring with a saved model: blocks of rows through the network ({@link BlockScorer}: one sgemm per layer
 * per block), each row's features scaled with the model's own scaling as they are read.
 *
 * <p>{@link #score} gives what the {@code score} command writes: every input column as read, then
 * {@code prediction} and, for classifiers, {@code probability}. A classifier's prediction is in the labels it was
 * trained on: a double holding the label's value when the labels were numbers ({@code 1..7} stay {@code 1..7}), a
 * string when they were names; the probability vector is in class order (labels sorted by value, as
 * {@code inspect} lists them), and its field metadata {@value #CLASSES_METADATA} holds the class names, which name
 * the CSV columns {@code probability_<label>}. A model without a label mapping predicts class indices. An
 * autoencoder ({@link Reconstruction}) gives {@code reconstruction_error} (and {@code encoding}) instead.
 * {@link #scoreIndices} gives the class index instead, for evaluation.
 */
public final class Scoring {
  public static final String PREDICTION = "prediction";
  public static final String PROBABILITY = "probability";
  /** Field metadata of {@code probability}: the class names by index; of {@code prediction}: a class label. */
  public static final String CLASSES_METADATA = "treeprop.classes";

  private Scoring() {}

  /**
   * Appends the model's outputs, in the user's labels, to every column of {@code data}'s input.
   *
   * @throws IllegalArgumentException when the data's feature count differs from the model's, or an input column
   *     has the name of an output column
   */
  public static Dataset<Row> score(SparkSession spark, Model model, SourceData data) {
    Dataset<Row> input = data.input();
    for (String c : input.columns()) {
      if (c.equals(PREDICTION) || c.equals(PROBABILITY) || c.equals(Reconstruction.ERROR)
          || c.equals(Reconstruction.ENCODING)) {
        throw new IllegalArgumentException(data.description() + " has a column \"" + c + "\", a name the scores "
            + "use (" + PREDICTION + ", " + PROBABILITY + ", " + Reconstruction.ERROR + ", " + Reconstruction.ENCODING
            + "); rename that column");
      }
    }
    Dataset<Row> scored = score(spark, model, data, input, data.inputFeatures(), true);
    return data.inputFeatures().equals(SourceData.HIDDEN_FEATURES) ? scored.drop(SourceData.HIDDEN_FEATURES)
        : scored;
  }

  /**
   * Appends {@code prediction} as the class index (a double; the output for regression) and {@code probability}
   * to {@code data}'s frame (features and label): what evaluation compares with the mapped labels.
   */
  public static Dataset<Row> scoreIndices(SparkSession spark, Model model, SourceData data) {
    return score(spark, model, data, data.frame(), SourceData.FEATURES, false);
  }

  private static Dataset<Row> score(SparkSession spark, Model model, SourceData data, Dataset<Row> frame,
      String featuresColumn, boolean userLabels) {
    int in = model.network().inputShape().size();
    if (data.features() != in) {
      throw new IllegalArgumentException(data.description() + " has " + data.features() + " features per row; the "
          + "model takes " + in);
    }
    Scaling scaling = Scaling.fromMetadata(model.metadata());
    scaling.check(data);
    Broadcast<Weights> bc = spark.sparkContext().broadcast(new Weights(model.params(), model.state()),
        ClassTag$.MODULE$.apply(Weights.class));
    Scaling transform = scaling instanceof Scaling.None ? null : scaling;
    if (Reconstruction.of(model)) {
      int encoding = Reconstruction.encodingLayer(model);
      return BlockScorer.score(frame, featuresColumn, model.spec(), bc, Reconstruction.schema(encoding),
          BlockScorer.Outputs.keeping(encoding, (net, ws, row) -> Reconstruction.values(net, ws, row, encoding)),
          transform);
    }
    Loss loss = model.loss();
    Loss.Task task = loss == null ? Loss.Task.REGRESSION : loss.task();
    int k = model.network().outputShape().size();
    boolean classifier = task != Loss.Task.REGRESSION && (task == Loss.Task.MULTICLASS || k == 1);
    ClassNames classes = classifier ? ClassNames.of(model, task == Loss.Task.MULTICLASS ? k : 2, userLabels) : null;
    StructType appended = classifier ? classes.schema()
        : new StructType().add(PREDICTION, k == 1 ? DataTypes.DoubleType : SQLDataTypes.VectorType(), false);
    float threshold = loss == null ? 0f : loss.threshold();
    boolean multiclass = task == Loss.Task.MULTICLASS;
    boolean softmaxHead = ClassScores.endsInSoftmax(model.network());
    BlockScorer.Outputs outputs = classifier
        ? (net, ws, row) -> classify(net, ws, row, multiclass, softmaxHead, threshold, classes)
        : BlockScorer::regression;
    // the scaling is applied as the scorer reads each row's features (no per-row UDF re-encoding the vector); the
    // features column is passed through as it came
    return BlockScorer.score(frame, featuresColumn, model.spec(), bc, appended, outputs, transform);
  }

  private static Object[] classify(Network net, Workspace ws, int row, boolean multiclass, boolean softmaxHead,
      float threshold, ClassNames classes) {
    double[] p;
    int c;
    if (multiclass) {
      // the same numbers as NeuralNetClassificationModel: the softmax of the logits, in double
      p = ClassScores.softmax(ClassScores.logits(net, ws, row, softmaxHead));
      c = ClassScores.decide(p, null);
    } else {
      // a probability for binary cross-entropy (threshold 0.5), a raw score for hinge/perceptron (threshold 0)
      double v = ws.activation(net.layers().size() - 1)[row];
      double q = threshold > 0 ? v : 1 / (1 + Math.exp(-v));
      p = new double[] {1 - q, q};
      c = v >= threshold ? 1 : 0;
    }
    return new Object[] {classes.prediction(c), Vectors.dense(p)};
  }

  /**
   * Writes scored rows as Parquet (vectors kept) or CSV (vectors flattened, see {@link #flatten}), into a temporary sibling directory renamed into place, so a failure leaves no
   * partial output.
   *
   * @throws IllegalArgumentException for an unknown format, or an existing output without {@code overwrite}
   */
  public static void write(Dataset<Row> scored, String output, String format, boolean overwrite) {
    requireFormat(format);
    try {
      Path out = new Path(output);
      FileSystem fs = out.getFileSystem(scored.sparkSession().sparkContext().hadoopConfiguration());
      requireWritable(fs, out, overwrite);
      Path tmp = new Path(out.getParent(), "." + out.getName() + ".tmp-" + System.nanoTime());
      Dataset<Row> rows = format.equals("csv") ? flatten(scored) : scored;
      try {
        if (format.equals("csv")) {
          rows.write().mode(SaveMode.ErrorIfExists).option("header", "true").csv(tmp.toString());
        } else {
          rows.write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString());
        }
        if (fs.exists(out)) {
          fs.delete(out, true);
        }
        if (!fs.rename(tmp, out)) {
          throw new IOException("cannot rename " + tmp + " to " + out);
        }
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write scores to " + output, e);
    }
  }

  /**
   * Checks an output format before any work.
   *
   * @throws IllegalArgumentException for anything but parquet or csv
   */
  public static void requireFormat(String format) {
    if (!"parquet".equals(format) && !"csv".equals(format)) {
      throw new IllegalArgumentException("--output-format \"" + format + "\" is not parquet or csv");
    }
  }

  /** Fails before any work when {@code out} exists and may not be replaced. */
  public static void requireWritable(FileSystem fs, Path out, boolean overwrite) throws IOException {
    if (fs.exists(out) && !overwrite) {
      throw new IllegalArgumentException("output " + out + " already exists; choose another path or pass "
          + "--overwrite");
    }
  }

  /**
   * CSV has no vectors: each vector column becomes one column per element, {@code probability_<class name>} for
   * the probabilities, {@code <name>_<i>} for the others; a numeric class prediction is written as its label is
   * ({@code 3}, not {@code 3.0}).
   */
  private static Dataset<Row> flatten(Dataset<Row> df) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      Column c = df.col("`" + f.name().replace("`", "``") + "`");
      if (f.name().equals(PREDICTION) && f.metadata().contains(CLASSES_METADATA)
          && f.dataType().equals(DataTypes.DoubleType)) {
        cols.add(functions.when(functions.abs(c).lt(1e15).and(c.equalTo(functions.floor(c))),
            c.cast(DataTypes.LongType).cast(DataTypes.StringType)).otherwise(c.cast(DataTypes.StringType))
            .as(f.name()));
      } else if (!f.dataType().equals(SQLDataTypes.VectorType())) {
        cols.add(c);
      } else {
        String[] names = f.metadata().contains(CLASSES_METADATA) ? f.metadata().getStringArray(CLASSES_METADATA)
            : null;
        int size = names != null ? names.length
            : ((org.apache.spark.ml.linalg.Vector) df.select(c).head().get(0)).size();
        Column arr = org.apache.spark.ml.functions.vector_to_array(c, "float64");
        for (int i = 0; i < size; i++) {
          cols.add(arr.getItem(i).as(f.name() + "_" + (names != null ? names[i] : Integer.toString(i))));
        }
      }
    }
    return df.select(cols.toArray(new Column[0]));
  }
}
