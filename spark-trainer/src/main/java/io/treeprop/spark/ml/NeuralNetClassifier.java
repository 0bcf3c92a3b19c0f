package io.treeprop.spark.ml;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A feed-forward neural-network classifier trained data-parallel by Treeprop: hidden dense layers with an
 * activation (or any {@code networkSpec}), a softmax output over the classes, categorical cross-entropy (or the
 * multiclass {@code margin} loss). Binary and multiclass; labels are class indices 0..k-1 (use StringIndexer).
 *
 * <pre>{@code
 * NeuralNetClassifier nn = new NeuralNetClassifier().setHiddenLayers(256, 128).setMaxEpochs(10)
 *     .setBatchSize(256).setLearningRate(2e-3).setSchedule("cosine");
 * NeuralNetClassificationModel model = nn.fit(train);   // rawPrediction, probability, prediction
 * }</pre>
 */
public final class NeuralNetClassifier
    extends ProbabilisticClassifier<Vector, NeuralNetClassifier, NeuralNetClassificationModel>
    implements NeuralNetParams, DefaultParamsWritable, Setters<NeuralNetClassifier> {
  private static final long serialVersionUID = 1L;
  /** Upper bound on the class count read from the label column. */
  static final int MAX_CLASSES = 100_000;

  private final String uid;
  private final ParamDefs defs;

  public NeuralNetClassifier() {
    this(Identifiable$.MODULE$.randomUID("treepropClassifier"));
  }

  public NeuralNetClassifier(String uid) {
    this(ConstructionUid.enter(uid), true);
  }

  private NeuralNetClassifier(String uid, boolean entered) {
    this.uid = uid;
    ConstructionUid.exit();
    this.defs = new ParamDefs(this);
    defs.setDefaults(this, "categorical_cross_entropy", new int[] {64});
  }

  @Override
  public String uid() {
    return uid != null ? uid : ConstructionUid.current();
  }

  @Override
  public ParamDefs defs() {
    return defs;
  }

  @Override
  public NeuralNetClassifier self() {
    return this;
  }

  @Override
  public NeuralNetClassificationModel train(Dataset<?> dataset) {
    Loss loss = Training.loss(getLoss());
    if (loss.task() != Loss.Task.MULTICLASS) {
      throw new IllegalArgumentException("loss \"" + getLoss() + "\" does not classify; use "
          + "categorical_cross_entropy or margin");
    }
    int classes = Math.max(2, getNumClasses(dataset, MAX_CLASSES));
    int features = Columns.numFeatures(dataset, getFeaturesCol());
    ActivationFunction head = loss.fusedActivation();
    NetworkSpec spec = Training.network(this, features, getFeaturesCol(), classes, head);
    Model core = Training.fit(this, dataset, getFeaturesCol(), getLabelCol(), spec, loss);
    return new NeuralNetClassificationModel(uid, core);
  }

  /** Spark's checks of the columns, and the network params against the features column (see NetworkSpecs). */
  @Override
  public StructType transformSchema(StructType schema) {
    NetworkSpecs.check(this, schema, getFeaturesCol());
    return super.transformSchema(schema);
  }

  @Override
  public NeuralNetClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<NeuralNetClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static NeuralNetClassifier load(String path) {
    return read().load(path);
  }
}
