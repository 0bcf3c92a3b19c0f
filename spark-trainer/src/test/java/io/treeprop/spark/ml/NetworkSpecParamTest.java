package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.PoolSpec;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.spark.LocalSpark;
import java.nio.file.Path;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code networkSpec} is checked when it is set, by setter, grid or copy, and {@code inputShape} against the spec
 * and the features column when the params meet a schema; both save and load.
 */
@ExtendWith(LocalSpark.class)
class NetworkSpecParamTest {
  /** conv2d 8 3×3 → max pool 2 → flatten → dense 10 → softmax, without an input. */
  private static final String LAYERS = "\"layers\": [{\"type\": \"conv2d\", \"filters\": 8, \"kernel\": 3}, "
      + "{\"type\": \"max_pool2d\", \"kernel\": 2}, {\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 10}, "
      + "{\"type\": \"activation\", \"function\": \"softmax\"}]";

  @TempDir
  Path tmp;

  private static String message(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  private static StructType schema(int size) {
    StructField features = size < 0
        ? new StructField("pixels", SQLDataTypes.VectorType(), false, Metadata.empty())
        : new AttributeGroup("pixels", size).toStructField();
    return new StructType().add(features).add("label", DataTypes.DoubleType);
  }

  private static NetworkSpec cnn() {
    return NetworkSpec.input(1, 28, 28).add(new Conv2dSpec(8, 3)).add(new PoolSpec.MaxPool2d(2))
        .add(new PoolSpec.Flatten()).dense(10).softmax();
  }

  @Test
  void aBadSpecFailsWhenSetNamingTheParamAndTheProblem() {
    NeuralNetClassifier nn = new NeuralNetClassifier();
    String m = message(() -> nn.setNetworkSpec("{\"input\": [784], \"layers\": [{\"type\": \"dense\""));
    assertTrue(m.startsWith("invalid networkSpec"), m);
    m = message(() -> nn.setNetworkSpec("{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"conv2d\", "
        + "\"filters\": 8, \"kernel\": 3, \"strides\": 2}]}"));
    assertTrue(m.startsWith("invalid networkSpec at layers[0]") && m.contains("strides"), m);
    m = message(() -> nn.setNetworkSpec("{\"input\": [1, 3, 3], \"layers\": [{\"type\": \"conv2d\", "
        + "\"filters\": 4, \"kernel\": 5}]}"));
    assertTrue(m.startsWith("networkSpec: layers[0]: conv2d.kernel 5x5 does not fit input 3x3"), m);
    m = message(() -> nn.setNetworkSpec("[1, 2]"));
    assertTrue(m.contains("networkSpec") && m.contains("JSON object"), m);
    m = message(() -> new Autoencoder().setNetworkSpec("{" + LAYERS.replace("conv2d", "conv3d") + "}"));
    assertTrue(m.contains("networkSpec") && m.contains("conv3d"), m);
    assertEquals("", nn.getNetworkSpec(), "a refused value is not kept");
    m = message(() -> nn.setInputShape(1, 28));
    assertTrue(m.contains("inputShape"), m);
  }

  @Test
  void gridValuesAndCopiesAreCheckedToo() {
    NeuralNetClassifier nn = new NeuralNetClassifier();
    String bad = "{\"input\": [1, 3, 3], \"layers\": [{\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 5}]}";
    String m = message(() -> new ParamGridBuilder().addGrid(nn.networkSpec(),
        scala.collection.JavaConverters.iterableAsScalaIterable(java.util.List.of(Json.writeCompact(cnn()), bad))).build());
    assertTrue(m.startsWith("networkSpec: "), m);
    m = message(() -> nn.copy(new ParamMap().put(nn.networkSpec(), bad)));
    assertTrue(m.startsWith("networkSpec: "), m);
  }

  @Test
  void theTypedSetterStoresTheSpecAsCompactJson() {
    NeuralNetClassifier nn = new NeuralNetClassifier().setNetworkSpec(cnn());
    assertEquals(Json.writeCompact(cnn()), nn.getNetworkSpec());
    assertEquals(cnn(), Json.read(nn.getNetworkSpec(), NetworkSpec.class, "spec"));
  }

  @Test
  void aSpecWithoutInputTakesInputShapeAndIsCheckedAgainstTheFeatures() {
    NeuralNetClassifier nn = new NeuralNetClassifier().setFeaturesCol("pixels").setNetworkSpec("{" + LAYERS + "}")
        .setInputShape(1, 28, 28);
    nn.transformSchema(schema(784));
    nn.transformSchema(schema(-1)); // size unknown until fit reads a row
    String m = message(() -> nn.transformSchema(schema(785)));
    assertEquals("the features column \"pixels\" holds vectors of 785 numbers; inputShape [1, 28, 28] takes 784 "
        + "(channels × height × width)", m);
    assertEquals(cnn(), NetworkSpecs.network(nn, 784, "pixels"));

    NeuralNetClassifier tiny = nn.copy(ParamMap.empty()).setInputShape(1, 3, 3);
    m = message(() -> tiny.transformSchema(schema(9)));
    assertTrue(m.startsWith("networkSpec: layers[1]: max_pool2d.kernel 2x2 does not fit input 1x1"), m);

    NeuralNetClassifier noShape = new NeuralNetClassifier().setFeaturesCol("pixels").setNetworkSpec("{" + LAYERS
        + "}");
    m = message(() -> noShape.transformSchema(schema(784)));
    assertTrue(m.contains("set inputShape = [channels, height, width]"), m);
  }

  @Test
  void theSpecsOwnInputAndInputShapeMustAgree() {
    NeuralNetClassifier nn = new NeuralNetClassifier().setFeaturesCol("pixels").setNetworkSpec(cnn())
        .setInputShape(3, 28, 28);
    assertEquals("networkSpec's input [1, 28, 28] and inputShape [3, 28, 28] differ; give the shape once: leave "
        + "input out of the spec or leave inputShape unset", message(() -> nn.transformSchema(schema(784))));
    nn.setInputShape(1, 28, 28).transformSchema(schema(784));
    nn.setInputShape().transformSchema(schema(784));
    String m = message(() -> nn.transformSchema(schema(100)));
    assertTrue(m.contains("networkSpec's input [1, 28, 28] takes 784"), m);
  }

  @Test
  void validatedParamsSaveAndLoad() throws Exception {
    NeuralNetClassifier nn = new NeuralNetClassifier().setNetworkSpec("{" + LAYERS + "}").setInputShape(1, 28, 28);
    String path = tmp.resolve("nn").toString();
    nn.write().save(path);
    NeuralNetClassifier back = NeuralNetClassifier.load(path);
    assertEquals(nn.getNetworkSpec(), back.getNetworkSpec());
    assertArrayEquals(new int[] {1, 28, 28}, back.getInputShape());
    assertArrayEquals(new int[0], new NeuralNetClassifier().getInputShape());
  }
}
