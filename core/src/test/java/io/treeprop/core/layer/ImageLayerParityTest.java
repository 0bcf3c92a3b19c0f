package io.treeprop.core.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward outputs and input/parameter gradients agree with PyTorch on the fixtures written by
 * {@code core/src/test/python/gen_fixtures.py} (see its header for the layout); for batch norm also the running
 * statistics after several training passes and the inference-mode output; for a residual block with a projection
 * and batch norm inside, the running statistics after its pass.
 */
class ImageLayerParityTest {
  /** |java − torch| ≤ TOL · max(1, |torch|): float32 sums of up to ~60 products against a float64 reference. */
  private static final double TOL = 1e-5;

  static Stream<Path> fixtures() throws Exception {
    Path dir = Path.of(ImageLayerParityTest.class.getResource("/fixtures").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 11, "fixtures missing in " + dir);
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void matchesPyTorch(Path file) throws Exception {
    JsonNode f = new ObjectMapper().readTree(file.toFile());
    LayerSpec spec = Json.read(f.get("spec").toString(), LayerSpec.class, "fixture spec");
    Shape shape = Json.read(f.get("input").toString(), Shape.class, "fixture input");
    int batch = f.get("batch").intValue();
    Network net = new Network(shape, List.of(spec.compile(shape, null)));
    float[] params = floats(f.get("params"));
    assertEquals(net.layout().paramCount(), params.length, "parameter count");
    float[] state = f.has("state") ? floats(f.get("state")) : new float[0];
    assertEquals(net.layout().stateCount(), state.length, "state count");

    Workspace ws = net.newWorkspace(batch, true);
    if (f.has("warmup")) {
      for (JsonNode xw : f.get("warmup")) {
        float[] w = floats(xw);
        System.arraycopy(w, 0, ws.input(), 0, w.length);
        net.forward(ws, params, state, batch, true, 0L);
        state = ws.newState().clone();
      }
    }
    float[] x = floats(f.get("x"));
    System.arraycopy(x, 0, ws.input(), 0, x.length);
    float[] y = net.forward(ws, params, state, batch, true, 0L);
    assertClose("y", f.get("y"), y);

    float[] dy = floats(f.get("dy"));
    System.arraycopy(dy, 0, ws.delta(0), 0, dy.length);
    float[] grad = new float[params.length];
    net.backward(ws, grad, 1);
    assertClose("dx", f.get("dx"), ws.inputGradient());
    assertEquals(grad.length, f.get("dparams").size(), "parameter gradient count");
    assertClose("dparams", f.get("dparams"), grad);
    if (f.has("newState")) {
      float[] after = ws.newState().clone();
      assertClose("newState", f.get("newState"), after);
    }
    if (f.has("yEval")) {
      float[] after = ws.newState().clone();
      assertClose("yEval", f.get("yEval"), net.forward(ws, params, after, batch, false, 0L));
    }
  }

  private static float[] floats(JsonNode a) {
    float[] v = new float[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) a.get(i).doubleValue();
    }
    return v;
  }

  private static void assertClose(String what, JsonNode expected, float[] actual) {
    assertTrue(expected.size() <= actual.length, what + ": the fixture has " + expected.size() + " values, the "
        + "layer " + actual.length);
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.get(i).doubleValue();
      double err = Math.abs(actual[i] - e) / Math.max(1, Math.abs(e));
      assertTrue(err <= TOL, what + "[" + i + "]: " + actual[i] + " vs PyTorch " + e);
    }
  }
}
