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
 * Spark Connect ML's discovery (Spark 4): it instantiates every estimator and model registered for
 * {@code java.util.ServiceLoader} and keys them by class name; one provider that cannot be made breaks the list.
 */
class ServiceDiscoveryTest {
  @Test
  void serviceLoaderFindsAndMakesTheEstimators() {
    Map<String, Object> found = load(Estimator.class);
    for (Class<?> c : List.of(NeuralNetClassifier.class, NeuralNetRegressor.class, Autoencoder.class)) {
      assertEquals(c, found.get(c.getName()).getClass(), c.getName() + " among " + found.keySet());
    }
    NeuralNetClassifier nn = (NeuralNetClassifier) found.get(NeuralNetClassifier.class.getName());
    assertEquals("features", nn.getFeaturesCol());
  }

  @Test
  void serviceLoaderFindsAndMakesTheModelsWhichSayTheyAreEmptyWhenUsed() {
    Map<String, Object> found = load(Transformer.class);
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

  /** As Spark Connect ML's loader does: every registered provider made, by class name. */
  private static Map<String, Object> load(Class<?> service) {
    Map<String, Object> byName = new LinkedHashMap<>();
    for (Object provider : ServiceLoader.load(service, Thread.currentThread().getContextClassLoader())) {
      byName.put(provider.getClass().getName(), provider);
    }
    return byName;
  }
}
