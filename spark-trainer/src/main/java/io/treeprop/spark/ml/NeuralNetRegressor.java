package io.treeprop.spark.ml;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * A feed-forward neural-network regressor: hidden dense layers with an activation (or any {@code networkSpec})
 * and a linear output, trained with {@code mse} (default), {@code mae} or {@code smooth_l1}. One output for a
 * numeric label; several when the label column is a vector (the prediction is then a vector too).
 */
public final class NeuralNetRegressor extends Regressor<Vector, NeuralNetRegressor, NeuralNetRegressionModel>
    implements NeuralNetParams, DefaultParamsWritable, Setters<NeuralNetRegressor> {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamDefs defs;

  public NeuralNetRegressor() {
    this(Identifiable$.MODULE$.randomUID("treepropRegressor"));
  }

  public NeuralNetRegressor(String uid) {
    this(ConstructionUid.enter(uid), true);
  }

  private NeuralNetRegressor(String uid, boolean entered) {
    this.uid = uid;
    ConstructionUid.exit();
    this.defs = new ParamDefs(this);
    defs.setDefaults(this, "mse", new int[] {64});
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
  public NeuralNetRegressor self() {
    return this;
  }

  /** Fits; unlike Spark's Predictor, a vector label column (several targets) is accepted as is. */
  @Override
  public NeuralNetRegressionModel fit(Dataset<?> dataset) {
    if (!isVector(dataset.schema(), getLabelCol())) {
      return super.fit(dataset);
    }
    transformSchema(dataset.schema());
    return copyValues(train(dataset).setParent(this), ParamMap.empty());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    NetworkSpecs.check(this, schema, getFeaturesCol());
    if (!isVector(schema, getLabelCol())) {
      return super.transformSchema(schema);
    }
    Columns.requireVector(schema, getFeaturesCol(), "features");
    return schema.add(getPredictionCol(), SQLDataTypes.VectorType(), false);
  }

  static boolean isVector(StructType schema, String col) {
    return java.util.Arrays.asList(schema.fieldNames()).contains(col)
        && schema.apply(col).dataType().equals(SQLDataTypes.VectorType());
  }

  @Override
  public NeuralNetRegressionModel train(Dataset<?> dataset) {
    Loss loss = Training.loss(getLoss());
    if (loss.task() != Loss.Task.REGRESSION) {
      throw new IllegalArgumentException("loss \"" + getLoss() + "\" is not a regression loss; use mse, mae or "
          + "smooth_l1");
    }
    int features = Columns.numFeatures(dataset, getFeaturesCol());
    int outputs = outputs(dataset, getLabelCol());
    NetworkSpec spec = Training.network(this, features, getFeaturesCol(), outputs, null);
    Model core = Training.fit(this, dataset, getFeaturesCol(), getLabelCol(), spec, loss);
    return new NeuralNetRegressionModel(uid, core);
  }

  private static int outputs(Dataset<?> dataset, String labelCol) {
    DataType t = dataset.schema().apply(labelCol).dataType();
    if (t instanceof NumericType) {
      return 1;
    }
    List<Row> first = dataset.toDF().select(labelCol).na().drop().limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new IllegalArgumentException("training data is empty: the label column \"" + labelCol + "\" has no "
          + "non-null value");
    }
    return ((Vector) first.get(0).get(0)).size();
  }

  @Override
  public NeuralNetRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<NeuralNetRegressor> read() {
    return new DefaultParamsReader<>();
  }

  public static NeuralNetRegressor load(String path) {
    return read().load(path);
  }
}
