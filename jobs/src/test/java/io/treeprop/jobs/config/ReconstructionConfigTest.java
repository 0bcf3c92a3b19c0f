package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigFixtures.fails;
import static io.treeprop.jobs.config.ConfigFixtures.minimalFails;
import static io.treeprop.jobs.config.ConfigFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.tensor.Shape;
import org.junit.jupiter.api.Test;

/** {@code model.task} and {@code model.encodingLayer}: what they accept and the one-line errors for the rest. */
class ReconstructionConfigTest {
  /** An autoencoder of unlabelled IDX images: 784 → 32 → 784. */
  static final String AUTOENCODER = """
      data.train { format = idx, path = "images.gz" }
      model {
        task = reconstruction
        layers = [{type = dense, units = 32}, {type = activation, function = relu}, {type = dense, units = 784}]
        loss = mse
      }
      output.model = "out/m"
      """;

  @Test
  void anAutoencoderNeedsNoLabelsAndRoundTrips() {
    JobConfig c = parse(AUTOENCODER, "model.encodingLayer=1");
    assertTrue(c.model().reconstruction());
    assertEquals(1, c.model().encodingLayer());
    assertEquals(c, parse(c.render()));
    assertEquals(784, c.network(784, Shape.image(1, 28, 28)).compile().outputShape().size());
  }

  @Test
  void theDefaultTaskIsSupervisedAndNeedsLabels() {
    JobConfig c = ConfigFixtures.minimal("");
    assertFalse(c.model().reconstruction());
    assertEquals(ModelSection.SUPERVISED, c.model().objective());
    assertNull(c.model().encodingLayer());
    fails(() -> parse(AUTOENCODER, "model.task=supervised"), "data.train has no labels; set labelPath (idx)");
  }

  @Test
  void badValuesNameTheKeyTheValueAndTheRule() {
    minimalFails("model.task = autoencoder", "model.task (\"autoencoder\") must be supervised or reconstruction");
    fails(() -> parse(AUTOENCODER, "model.loss=categorical_cross_entropy"), "model.loss (categorical_cross_entropy) "
        + "cannot train model.task = reconstruction", "use a regression loss (mse, mae, smooth_l1)");
    minimalFails("model.encodingLayer = 0", "model.encodingLayer (0) applies only to model.task = reconstruction");
    fails(() -> parse(AUTOENCODER, "model.encodingLayer=2"), "model.encodingLayer (2) must be a layer index from 0 "
        + "to 1 (below the last layer, which gives the reconstruction)");
    fails(() -> parse(AUTOENCODER, "model.encodingLayer=-1"), "model.encodingLayer (-1) must be a layer index");
    fails(() -> parse(AUTOENCODER, "model.encodingLayer=first"), "model.encodingLayer", "integer");
    fails(() -> parse(AUTOENCODER, "data.classNames=[a, b]"), "data.classNames [a, b] names classes, but "
        + "model.task is reconstruction, which learns no labels; remove data.classNames");
  }

  @Test
  void theOutputMustHaveTheInputsSize() {
    JobConfig c = parse(AUTOENCODER, "model.layers=[{type = dense, units = 10}]");
    fails(() -> c.network(784, Shape.image(1, 28, 28)), "model.task = reconstruction: the layers output [10] (10 "
        + "values) but the input [1, 28, 28] has 784; the last layers must give the input's size back");
  }
}
