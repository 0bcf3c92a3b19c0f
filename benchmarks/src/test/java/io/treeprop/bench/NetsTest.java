package io.treeprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.treeprop.core.model.Network;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's networks have the shapes of {@code bench/pytorch_bench.py}'s, and {@link Products} counts their
 * matrix products from the layer shapes.
 */
class NetsTest {
  @Test
  void parameterCountsMatchThePyTorchScriptsNetworks() {
    // sum(p.numel() for p in network(name).parameters()) in bench/pytorch_bench.py
    Map<String, Integer> pytorch = Map.of("mlp", 235_146, "cnn", 225_034, "cnn_bn", 225_226, "resnet", 108_522);
    for (String name : Nets.NAMES) {
      assertEquals(pytorch.get(name), Network.compile(Nets.of(name)).layout().paramCount(), name);
    }
  }

  @Test
  void cnnProductsAreItsIm2colGemmsPerSampleAndItsDenseOnes() {
    double conv1 = 2 * 2.0 * 32 * (26 * 26) * 9; // first layer: forward and weight gradient only
    double conv2 = 3 * 2.0 * 64 * (11 * 11) * (32 * 9);
    double dense = 3 * 2.0 * (64 * 5 * 5) * 128 + 3 * 2.0 * 128 * 10;
    assertEquals(conv1 + conv2 + dense, Products.flops(Products.of(Nets.of("cnn"), 1)));
    assertEquals(64 * (conv1 + conv2 + dense), Products.flops(Products.of(Nets.of("cnn"), 64)));
  }

  @Test
  void residualProjectionsAreCountedAsOneByOneConvolutions() {
    double counted = Products.flops(Products.of(Nets.of("resnet"), 1));
    // stem 1→16 (first: 2 products), three blocks of two 3×3 convolutions, projections 16→32 at 14×14 and
    // 32→64 at 7×7, dense 3136→10
    double expected = 2 * 2.0 * 16 * 784 * 9
        + 2 * 3 * 2.0 * 16 * 784 * (16 * 9)
        + 3 * 2.0 * 32 * 196 * (16 * 9) + 3 * 2.0 * 32 * 196 * (32 * 9) + 3 * 2.0 * 32 * 196 * 16
        + 3 * 2.0 * 64 * 49 * (32 * 9) + 3 * 2.0 * 64 * 49 * (64 * 9) + 3 * 2.0 * 64 * 49 * 32
        + 3 * 2.0 * 3136 * 10;
    assertEquals(expected, counted);
  }

  @Test
  void anUnknownNetworkIsNamedWithTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nets.of("vgg"));
    assertEquals("--nets: unknown network 'vgg'; choose from [mlp, cnn, cnn_bn, resnet]", e.getMessage());
  }
}
