package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.onnx.OnnxExport;
import java.io.File;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jobs jar carries the ONNX export's protobuf relocated, and exports a model with Spark's own jars
 * (protobuf-java 3.19.6 among them) ahead of it on the class path, as spark-submit orders them.
 */
class OnnxShadedJarIT {
  private static final List<String> UNRELOCATED = List.of("com/google/protobuf/", "ai/onnx/", "org/tribuo/");

  @TempDir
  Path tmp;

  @Test
  void protobufAndTheOnnxClassesAreRelocated() throws Exception {
    try (ZipFile jar = new ZipFile(System.getProperty("treeprop.jobsJar"))) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      assertTrue(names.contains("io/treeprop/shaded/protobuf/GeneratedMessageV3.class"), "relocated protobuf");
      assertTrue(names.contains("io/treeprop/shaded/onnx/proto/OnnxMl$ModelProto.class"), "relocated ONNX classes");
      assertTrue(names.contains("io/treeprop/shaded/tribuo/util/onnx/ONNXContext.class"), "relocated Tribuo");
      List<String> left = names.stream().filter(n -> UNRELOCATED.stream().anyMatch(n::startsWith)).toList();
      assertEquals(List.of(), left, "classes left under their original packages");
    }
  }

  @Test
  void exportRunsWithSparksProtobufFirstOnTheClassPath() throws Exception {
    Path jars = Path.of(System.getProperty("treeprop.sparkHome"), "jars");
    String sparks = "protobuf-java-" + System.getProperty("treeprop.sparkProtobufVersion") + ".jar";
    try (var list = Files.list(jars)) {
      assertTrue(list.anyMatch(p -> p.getFileName().toString().equals(sparks)), "the SPARK_HOME holds " + sparks);
    }
    NetworkSpec spec = NetworkSpec.input(3).dense(4).tanh().dense(2).softmax();
    Network net = spec.compile();
    Model m = new Model(spec, net.initParams(5), net.initState(), new Losses.CategoricalCrossEntropy(), List.of(),
        null, Map.of());
    Path model = tmp.resolve("model");
    ModelFiles.save(m, model, false);
    Path onnx = tmp.resolve("model.onnx");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(System.getProperty("treeprop.jvmFlags").trim().split("\\s+")));
    cmd.addAll(List.of("-cp", jars + "/*" + File.pathSeparator + System.getProperty("treeprop.jobsJar"),
        "io.treeprop.jobs.Main", "export", "--model", model.toString(), "--format", "onnx", "--output",
        onnx.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), out);
    assertEquals(0, p.exitValue(), out);
    float[] x = {0.5f, -1f, 2f};
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3});
        OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, in))) {
      float[] y = ((float[][]) r.get(OnnxExport.OUTPUT).orElseThrow().getValue())[0];
      float[] expected = m.predict(x, 1);
      assertEquals(expected[0], y[0], 1e-5);
      assertEquals(expected[1], y[1], 1e-5);
    }
  }
}
