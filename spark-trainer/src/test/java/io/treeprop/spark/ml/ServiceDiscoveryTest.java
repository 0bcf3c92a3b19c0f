package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Spark Connect ML's discovery (Spark 4): it lists the estimators and models registered for
 * {@code java.util.ServiceLoader} by class name and makes them through their public no-argument constructors.
 */
class ServiceDiscoveryTest {
  @Test
  void serviceLoaderFindsAndMakesTheEstimators() {
    Map<String, Object> found = load(Estimator.class);
    for (Class<?> c : List.of(NeuralNetClassifier.class, NeuralNetRegressor.class, Autoencoder.class)) {
      assertTrue(found.containsKey(c.getName()), c.getName() + " among " + found.keySet());
      assertEquals(c, found.get(c.getName()).getClass());
    }
    NeuralNetClassifier nn = (NeuralNetClassifier) found.get(NeuralNetClassifier.class.getName());
    assertEquals("features", nn.getFeaturesCol());
  }

  @Test
  void serviceLoaderFindsAndMakesTheModelsWhichSayTheyAreEmptyWhenUsed() {
    Map<String, Object> found = load(Transformer.class);
    assertEquals(3, found.size(), found.keySet().toString());
    var classifier = (NeuralNetClassificationModel) found.get(NeuralNetClassificationModel.class.getName());
    var regressor = (NeuralNetRegressionModel) found.get(NeuralNetRegressionModel.class.getName());
    var autoencoder = (AutoencoderModel) found.get(AutoencoderModel.class.getName());
    for (Transformer m : List.of(classifier, regressor, autoencoder)) {
      // params work without a network (a client reads and copies them)
      assertTrue(m.explainParams().contains("featuresCol"), m.explainParams());
      assertEquals(m.uid(), m.copy(ParamMap.empty()).uid());
    }
    // using the network is a clear error naming the model and what makes a usable one
    assertEmpty(classifier::coreModel, "NeuralNetClassificationModel", "NeuralNetClassifier");
    assertEmpty(regressor::coreModel, "NeuralNetRegressionModel", "NeuralNetRegressor");
    assertEmpty(autoencoder::coreModel, "AutoencoderModel", "Autoencoder");
  }

  private static void assertEmpty(Executable use, String model, String estimator) {
    IllegalStateException e = assertThrows(IllegalStateException.class, use);
    assertTrue(e.getMessage().startsWith("this " + model + " has no network")
        && e.getMessage().endsWith("fit " + estimator + " or load a saved model"), e.getMessage());
  }

  /**
   * The registered providers by class name, ours made through their no-argument constructors. Not every one of
   * Spark's own registered models can be made outside a session (Spark 4.2's {@code LogisticRegressionModel}), so
   * only ours are instantiated here.
   */
  private static Map<String, Object> load(Class<?> service) {
    Map<String, Object> byName = new LinkedHashMap<>();
    ServiceLoader.load(service, Thread.currentThread().getContextClassLoader()).stream()
        .filter(p -> p.type().getName().startsWith("io.treeprop."))
        .forEach(p -> byName.put(p.type().getName(), p.get()));
    return byName;
  }
}
