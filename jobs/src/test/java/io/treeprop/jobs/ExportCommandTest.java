package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.jobs.data.Scaling;
import io.treeprop.onnx.OnnxExport;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code treeprop export}: the ONNX file ONNX Runtime runs on raw features gives what the jobs compute (their own
 * scaling, then the network), and bad command lines give one line and leave no file.
 */
class ExportCommandTest {
  private static final int ROWS = 6;
  private static final int FEATURES = 4;

  @TempDir
  Path tmp;

  @Test
  void exportedModelTakesRawFeaturesScaledAsTheJobsScaleThem() throws Exception {
    for (Scaling scaling : List.of(new Scaling.Standardize(new double[] {50, -2, 0.3, 1000},
        new double[] {10, 0.5, 2, 250}), new Scaling.Factor(1 / 255.0))) {
      Path model = save(scaling, "model-" + scaling.getClass().getSimpleName());
      Path onnx = tmp.resolve(model.getFileName() + ".onnx");
      Cli.Result r = Cli.run("export", "--model", model.toString(), "--format", "onnx", "--output", onnx.toString());
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.out().contains("input \"features\" [batch, 4] raw features"), r.out());

      float[] raw = new float[ROWS * FEATURES];
      float[] scaled = new float[raw.length];
      SplittableRandom rng = new SplittableRandom(7);
      for (int row = 0; row < ROWS; row++) {
        double[] v = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
          v[j] = raw[row * FEATURES + j] = (float) (rng.nextDouble(-1, 1) * 300 + 500);
        }
        scaling.apply(v, FEATURES);
        for (int j = 0; j < FEATURES; j++) {
          scaled[row * FEATURES + j] = (float) v[j];
        }
      }
      Model m = ModelFiles.load(model);
      float[] expected = m.predict(scaled, ROWS);
      float[][] onnxOut = run(Files.readAllBytes(onnx), raw);
      for (int row = 0; row < ROWS; row++) {
        for (int k = 0; k < 3; k++) {
          assertEquals(expected[row * 3 + k], onnxOut[row][k], 1e-5, scaling + " row " + row + " output " + k);
        }
      }
    }
  }

  @Test
  void badCommandLinesGiveOneLineAndLeaveNoFile() throws Exception {
    Path onnx = tmp.resolve("model.onnx");
    Cli.Result r = Cli.run("export", "--model", tmp.resolve("nowhere").toString(), "--format", "onnx", "--output",
        onnx.toString());
    assertEquals(Main.FAILED, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("treeprop: cannot load a model from " + tmp.resolve("nowhere")), r.err());
    assertFalse(Files.exists(onnx));

    Path model = save(new Scaling.None(), "model");
    r = Cli.run("export", "--model", model.toString(), "--format", "pmml", "--output", onnx.toString());
    assertEquals(Main.FAILED, r.code(), r.toString());
    assertEquals("treeprop: --format \"pmml\" is not supported; the export format is onnx", r.err().strip());
    assertFalse(Files.exists(onnx));

    Files.writeString(onnx, "taken");
    r = Cli.run("export", "--model", model.toString(), "--format", "onnx", "--output", onnx.toString());
    assertEquals(Main.FAILED, r.code(), r.toString());
    assertEquals("treeprop: --output: " + onnx + " already exists; choose another path, or pass --overwrite",
        r.err().strip());
    assertEquals("taken", Files.readString(onnx));
    r = Cli.run("export", "--model", model.toString(), "--format", "onnx", "--output", onnx.toString(),
        "--overwrite");
    assertEquals(0, r.code(), r.toString());
    assertEquals(ROWS, run(Files.readAllBytes(onnx), new float[ROWS * FEATURES]).length);
    assertTrue(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(onnx))
        .startsWith("rw-r--r"), "readable by serving processes of other users");
    try (var files = Files.list(tmp)) {
      assertEquals(List.of("model", "model.onnx"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file is left");
    }

    // an autoencoder: raw features in, but reconstructions in scaled units out; refused, nothing written
    NetworkSpec auto = NetworkSpec.input(FEATURES).dense(2).tanh().dense(FEATURES);
    Network an = auto.compile();
    java.util.Map<String, Object> meta = new java.util.HashMap<>(new Scaling.Factor(0.5).toMetadata());
    meta.putAll(io.treeprop.jobs.score.Reconstruction.metadata(null));
    ModelFiles.save(new Model(auto, an.initParams(3), an.initState(), new Losses.Mse(), List.of(), null, meta),
        tmp.resolve("auto"), false);
    Path aeOnnx = tmp.resolve("auto.onnx");
    r = Cli.run("export", "--model", tmp.resolve("auto").toString(), "--format", "onnx", "--output",
        aeOnnx.toString());
    assertEquals(Main.FAILED, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("is an autoencoder (model.task = reconstruction)"), r.err());
    assertFalse(Files.exists(aeOnnx));
  }

  private Path save(Scaling scaling, String name) throws Exception {
    NetworkSpec spec = NetworkSpec.input(FEATURES).dense(8).relu().dense(3).softmax();
    Network net = spec.compile();
    Model m = new Model(spec, net.initParams(3), net.initState(), new Losses.CategoricalCrossEntropy(), List.of(),
        null, scaling.toMetadata());
    Path dir = tmp.resolve(name);
    ModelFiles.save(m, dir, false);
    return dir;
  }

  private static float[][] run(byte[] onnx, float[] raw) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw), new long[] {ROWS, FEATURES});
        OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, in))) {
      return (float[][]) r.get(OnnxExport.OUTPUT).orElseThrow().getValue();
    }
  }
}
