package io.treeprop.spark.ml;

import io.treeprop.core.model.Model;
import io.treeprop.core.model.TrainingSummary;
import io.treeprop.spark.score.BlockScorer;
import io.treeprop.spark.train.Weights;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.reflect.ClassTag$;

/**
 * A trained {@link NeuralNetRegressor}: {@code prediction} is a double for one output, a vector for several.
 * {@code transform} scores blocks of rows with one sgemm per layer.
 */
public final class NeuralNetRegressionModel extends RegressionModel<Vector, NeuralNetRegressionModel>
    implements NeuralNetParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamDefs defs;
  private final transient Model core;

  public NeuralNetRegressionModel(String uid, Model core) {
    this(ConstructionUid.enter(uid), core, true);
  }

  private NeuralNetRegressionModel(String uid, Model core, boolean entered) {
    this.uid = uid;
    ConstructionUid.exit();
    this.defs = new ParamDefs(this);
    defs.setDefaults(this, "mse", new int[] {64});
    this.core = core;
  }

  /**
   * An empty model, for {@code java.util.ServiceLoader} only: Spark Connect ML lists the models it can serve by
   * instantiating each one registered in {@code META-INF/services/org.apache.spark.ml.Transformer}. It has no
   * network; a model to use comes from {@link NeuralNetRegressor#fit} or {@link #read()}.
   */
  public NeuralNetRegressionModel() {
    this((Model) null);
  }

  /** A model from a trained core model, with a fresh uid. */
  public NeuralNetRegressionModel(Model core) {
    this(Identifiable$.MODULE$.randomUID("treepropRegressorModel"), core);
  }

  /** The core model; an empty model (the no-argument constructor) has none and says so. */
  private Model core() {
    return EmptyModel.require(core, this, "NeuralNetRegressor");
  }

  @Override
  public String uid() {
    return uid != null ? uid : ConstructionUid.current();
  }

  @Override
  public ParamDefs defs() {
    return defs;
  }

  /** The trained core model. */
  public Model coreModel() {
    return core();
  }

  /** Per-epoch loss and metric history, and how training ended. */
  public TrainingSummary trainingSummary() {
    return core().summary();
  }

  /** Number of outputs (targets). */
  public int numOutputs() {
    return core().network().outputShape().size();
  }

  @Override
  public int numFeatures() {
    return core().network().inputShape().size();
  }

  @Override
  public double predict(Vector features) {
    double[] x = features.toArray();
    float[] f = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      f[j] = (float) x[j];
    }
    return core().predict(f, 1)[0];
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Columns.requireSize(schema, getFeaturesCol(), core().network().inputShape());
    if (numOutputs() == 1) {
      return super.transformSchema(schema);
    }
    Columns.requireVector(schema, getFeaturesCol(), "features");
    return schema.add(Columns.vectorField(getPredictionCol(), numOutputs()));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType appended = Columns.appended(transformSchema(dataset.schema()), getPredictionCol());
    Broadcast<Weights> bc = dataset.sparkSession().sparkContext().broadcast(
        new Weights(core().params(), core().state()), ClassTag$.MODULE$.apply(Weights.class));
    return BlockScorer.score(dataset, getFeaturesCol(), core().spec(), bc, appended, BlockScorer::regression);
  }

  @Override
  public NeuralNetRegressionModel copy(ParamMap extra) {
    return copyValues(new NeuralNetRegressionModel(uid, core), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return MlPersistence.writer(this, core());
  }

  public static MLReader<NeuralNetRegressionModel> read() {
    return MlPersistence.reader(NeuralNetRegressionModel.class, NeuralNetRegressionModel::new);
  }

  public static NeuralNetRegressionModel load(String path) {
    return read().load(path);
  }
}
