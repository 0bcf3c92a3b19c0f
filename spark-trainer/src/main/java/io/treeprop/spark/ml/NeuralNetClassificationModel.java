package io.treeprop.spark.ml;

import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.TrainingSummary;
import io.treeprop.core.model.Workspace;
import io.treeprop.spark.score.BlockScorer;
import io.treeprop.spark.score.ClassScores;
import io.treeprop.spark.train.Weights;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.reflect.ClassTag$;

/**
 * A trained {@link NeuralNetClassifier}. {@code rawPrediction} holds the logits (the input of the softmax),
 * {@code probability} the softmax, {@code prediction} the most probable class (or Spark's threshold rule when
 * {@code thresholds} is set). {@code transform} scores blocks of rows with one sgemm per layer, never row by row.
 */
public final class NeuralNetClassificationModel
    extends ProbabilisticClassificationModel<Vector, NeuralNetClassificationModel>
    implements NeuralNetParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamDefs defs;
  private final transient Model core;

  public NeuralNetClassificationModel(String uid, Model core) {
    this(ConstructionUid.enter(uid), core, true);
  }

  private NeuralNetClassificationModel(String uid, Model core, boolean entered) {
    this.uid = uid;
    ConstructionUid.exit();
    this.defs = new ParamDefs(this);
    defs.setDefaults(this, "categorical_cross_entropy", new int[] {64});
    this.core = core;
  }

  /**
   * An empty model, for {@code java.util.ServiceLoader} only: Spark Connect ML lists the models it can serve by
   * instantiating each one registered in {@code META-INF/services/org.apache.spark.ml.Transformer}. It has no
   * network; a model to use comes from {@link NeuralNetClassifier#fit} or {@link #read()}.
   */
  public NeuralNetClassificationModel() {
    this((Model) null);
  }

  /** A model from a trained core model, with a fresh uid. */
  public NeuralNetClassificationModel(Model core) {
    this(Identifiable$.MODULE$.randomUID("treepropClassifierModel"), core);
  }

  /** The core model; an empty model (the no-argument constructor) has none and says so. */
  private Model core() {
    return EmptyModel.require(core, this, "NeuralNetClassifier");
  }

  @Override
  public String uid() {
    return uid != null ? uid : ConstructionUid.current();
  }

  @Override
  public ParamDefs defs() {
    return defs;
  }

  /** The trained core model (network, weights, loss, training summary). */
  public Model coreModel() {
    return core();
  }

  /** Per-epoch loss and metric history, and how training ended. */
  public TrainingSummary trainingSummary() {
    return core().summary();
  }

  @Override
  public int numClasses() {
    return core().network().outputShape().size();
  }

  @Override
  public int numFeatures() {
    return core().network().inputShape().size();
  }

  private boolean endsInSoftmax() {
    return ClassScores.endsInSoftmax(core().network());
  }

  @Override
  public Vector predictRaw(Vector features) {
    Network net = core().network();
    Workspace ws = net.newWorkspace(1, false);
    double[] x = features.toArray();
    for (int j = 0; j < x.length; j++) {
      ws.input()[j] = (float) x[j];
    }
    net.forward(ws, core().params(), core().state(), 1, false, 0L);
    return Vectors.dense(ClassScores.logits(net, ws, 0, endsInSoftmax()));
  }

  @Override
  public Vector raw2probabilityInPlace(Vector raw) {
    double[] v = ((DenseVector) raw).values();
    System.arraycopy(ClassScores.softmax(v), 0, v, 0, v.length);
    return raw;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Columns.requireSize(schema, getFeaturesCol(), core().network().inputShape());
    return super.transformSchema(schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    // the appended columns as transformSchema describes them, metadata included (vector sizes, the class count
    // as the prediction's nominal attribute), as Spark's own classifiers give them
    StructType full = transformSchema(dataset.schema(), true);
    boolean rawCol = !getRawPredictionCol().isEmpty();
    boolean probCol = !getProbabilityCol().isEmpty();
    boolean predCol = !getPredictionCol().isEmpty();
    StructType appended = Columns.appended(full, rawCol ? getRawPredictionCol() : null,
        probCol ? getProbabilityCol() : null, predCol ? getPredictionCol() : null);
    boolean softmax = endsInSoftmax();
    double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
    Broadcast<Weights> bc = dataset.sparkSession().sparkContext().broadcast(
        new Weights(core().params(), core().state()), ClassTag$.MODULE$.apply(Weights.class));
    return BlockScorer.score(dataset, getFeaturesCol(), core().spec(), bc, appended, (net, ws, row) -> {
      double[] raw = ClassScores.logits(net, ws, row, softmax);
      double[] prob = ClassScores.softmax(raw);
      List<Object> out = new ArrayList<>(3);
      if (rawCol) {
        out.add(Vectors.dense(raw));
      }
      if (probCol) {
        out.add(Vectors.dense(prob));
      }
      if (predCol) {
        out.add((double) ClassScores.decide(prob, thresholds));
      }
      return out.toArray();
    });
  }

  /**
   * Resolves the two Scala signatures javac sees as a clash (Spark's training-summary hook, unused here): this
   * model with its own probability and prediction columns.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return new scala.Tuple3(this, getProbabilityCol(), getPredictionCol());
  }

  @Override
  public NeuralNetClassificationModel copy(ParamMap extra) {
    NeuralNetClassificationModel m = new NeuralNetClassificationModel(uid, core);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return MlPersistence.writer(this, core());
  }

  public static MLReader<NeuralNetClassificationModel> read() {
    return MlPersistence.reader(NeuralNetClassificationModel.class, NeuralNetClassificationModel::new);
  }

  public static NeuralNetClassificationModel load(String path) {
    return read().load(path);
  }
}
