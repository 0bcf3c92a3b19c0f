package io.treeprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading model directories, and the errors for every kind of damaged file. */
class ModelFilesTest {
  private static final int ROWS = 5;

  @TempDir Path tmp;

  private Model model;
  private Path dir;
  private float[] x;

  @BeforeEach
  void saveSmallModel() throws IOException {
    NetworkSpec spec = NetworkSpec.input(4).dense(8).relu().dropout(0.2f).dense(3).softmax();
    float[] params = spec.compile().initParams(7);
    TrainingSummary summary = new TrainingSummary(List.of(
        new EpochMetrics(1, 10, 1.05, 0.4, 1.1, 0.38, 0.01, 0.25),
        new EpochMetrics(2, 20, 0.71, 0.7, null, null, 0.005, 0.5)), 2, "completed 2 epochs", 20, 0.75);
    Map<String, Object> metadata = Map.of("scaler", "minmax", "min", List.of(0.0, -1.5), "rows", 150);
    model = new Model(spec, params, spec.compile().initState(), new Losses.CategoricalCrossEntropy(),
        List.of("a", "b", "c"), summary, metadata);
    dir = tmp.resolve("model");
    ModelFiles.save(model, dir, false);
    x = new float[ROWS * 4];
    SplittableRandom rng = new SplittableRandom(11);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble(-2, 2);
    }
  }

  private Path params() {
    return dir.resolve(ModelFiles.PARAMS_BIN);
  }

  private Path json() {
    return dir.resolve(ModelFiles.MODEL_JSON);
  }

  private String loadError() {
    return assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(dir)).getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
    }
  }

  private void rewriteJson(String from, String to) throws IOException {
    String text = Files.readString(json());
    assertTrue(text.contains(from), () -> "fixture: model.json lacks " + from + ":\n" + text);
    Files.writeString(json(), text.replace(from, to));
  }

  private void rewriteParams(ByteBufferEdit edit) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(params())).order(ByteOrder.LITTLE_ENDIAN);
    edit.apply(b);
    Files.write(params(), b.array());
  }

  private interface ByteBufferEdit {
    void apply(ByteBuffer b);
  }

  @Test
  void savedModelLoadsWithIdenticalPredictionsAndMetadata() throws IOException {
    Model loaded = ModelFiles.load(dir);

    assertArrayEquals(model.predict(x, ROWS), loaded.predict(x, ROWS), "predictions must match bit for bit");
    assertArrayEquals(model.params(), loaded.params());
    assertArrayEquals(model.state(), loaded.state());
    assertEquals(model.spec(), loaded.spec());
    assertEquals(model.loss(), loaded.loss());
    assertEquals(List.of("a", "b", "c"), loaded.labels());
    assertEquals(model.summary(), loaded.summary());
    assertEquals(model.metadata(), loaded.metadata());
  }

  @Test
  void paramsFileHasTheDocumentedLayout() throws IOException {
    byte[] bytes = Files.readAllBytes(params());
    int p = model.params().length;
    assertEquals(67, p, "4·8+8 + 8·3+3 parameters");
    assertEquals(ModelFiles.HEADER_BYTES + 4L * p, bytes.length);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("TPRM", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
    assertEquals(ModelFiles.VERSION, b.getInt(4));
    assertEquals(p, b.getInt(8));
    assertEquals(0, b.getInt(12));
    assertEquals(Float.floatToRawIntBits(model.params()[0]), b.getInt(20));
    assertEquals(Float.floatToRawIntBits(model.params()[p - 1]), b.getInt(20 + 4 * (p - 1)));
  }

  @Test
  void truncatedPayloadIsRejected() throws IOException {
    byte[] bytes = Files.readAllBytes(params());
    Files.write(params(), Arrays.copyOf(bytes, bytes.length - 3));
    assertContains(loadError(), ModelFiles.PARAMS_BIN, "truncated", "67 floats", "288 bytes",
        "the data ends after 66 floats (285 bytes)");
  }

  @Test
  void fileCutInsideTheHeaderIsRejected() throws IOException {
    Files.write(params(), Arrays.copyOf(Files.readAllBytes(params()), 11));
    assertContains(loadError(), ModelFiles.PARAMS_BIN, "truncated", "20-byte header");
  }

  @Test
  void flippedPayloadByteFailsTheChecksum() throws IOException {
    rewriteParams(b -> b.put(40, (byte) (b.get(40) ^ 0x10)));
    assertContains(loadError(), ModelFiles.PARAMS_BIN, "corrupted", "CRC32");
  }

  @Test
  void wrongMagicIsRejected() throws IOException {
    rewriteParams(b -> b.put(0, (byte) 'X'));
    assertContains(loadError(), ModelFiles.PARAMS_BIN, "magic", "TPRM");
  }

  @Test
  void unsupportedParamsVersionIsRejected() throws IOException {
    rewriteParams(b -> b.putInt(4, 2));
    assertContains(loadError(), ModelFiles.PARAMS_BIN, "version 2", "not supported", "version 1");
  }

  @Test
  void paramsCountsDisagreeingWithTheNetworkAreRejected() throws IOException {
    rewriteParams(b -> b.putInt(12, 5));
    assertContains(loadError(), ModelFiles.PARAMS_BIN, "67 parameters and 5 state values", "needs 67 and 0");
  }

  @Test
  void unsupportedModelJsonVersionIsRejected() throws IOException {
    rewriteJson("\"version\" : 1", "\"version\" : 9");
    assertContains(loadError(), ModelFiles.MODEL_JSON, "version 9", "not supported");
  }

  @Test
  void wrongFormatNameIsRejected() throws IOException {
    rewriteJson("\"format\" : \"treeprop-model\"", "\"format\" : \"keras\"");
    assertContains(loadError(), ModelFiles.MODEL_JSON, "\"keras\"", "treeprop-model");
  }

  @Test
  void paramCountDisagreeingWithTheNetworkIsRejected() throws IOException {
    rewriteJson("\"paramCount\" : 67", "\"paramCount\" : 68");
    assertContains(loadError(), ModelFiles.MODEL_JSON, "declares 68 parameters", "network has 67");
  }

  @Test
  void trailingBytesAfterThePayloadAreRejected() throws IOException {
    try (OutputStream o = Files.newOutputStream(params(), java.nio.file.StandardOpenOption.APPEND)) {
      o.write(new byte[] {1, 2, 3, 4});
    }
    assertContains(loadError(), ModelFiles.PARAMS_BIN, "bytes after the 67 floats");
  }

  @Test
  void nonFiniteParameterWithValidChecksumIsRejected() throws IOException {
    float[] p = model.params().clone();
    p[5] = Float.NaN;
    try (OutputStream o = Files.newOutputStream(params())) {
      ModelFiles.writeParams(p, new float[0], o);
    }
    assertContains(loadError(), ModelFiles.PARAMS_BIN, "parameter 5 is NaN", "finite");
  }

  @Test
  void unknownKeyInModelJsonIsRejected() throws IOException {
    rewriteJson("\"format\" :", "\"learningRate\" : 0.1,\n  \"format\" :");
    assertContains(loadError(), ModelFiles.MODEL_JSON, "learningRate");
  }

  @Test
  void malformedModelJsonIsRejectedWithItsPosition() throws IOException {
    Files.writeString(json(), "{\n  \"format\" : \"treeprop-model\",\n  \"version\" : 1,,\n}");
    assertContains(loadError(), ModelFiles.MODEL_JSON, "line 3");
  }

  @Test
  void invalidLayerInModelJsonIsNamedWithItsPath() throws IOException {
    rewriteJson("\"units\" : 8", "\"units\" : 0");
    assertContains(loadError(), ModelFiles.MODEL_JSON, "network.layers[0]", "dense.units (0)");
  }

  @Test
  void labelCountDisagreeingWithTheOutputsIsRejected() throws IOException {
    rewriteJson("\"labels\" : [ \"a\", \"b\", \"c\" ]", "\"labels\" : [ \"a\", \"b\" ]");
    assertContains(loadError(), ModelFiles.MODEL_JSON, "2 class labels for a network with 3 outputs");
  }

  @Test
  void missingParamsFileIsRejected() throws IOException {
    Files.delete(params());
    assertContains(loadError(), "params.bin is missing", dir.toString());
  }

  @Test
  void readParamsRejectsCountsDifferentFromTheCaller() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelFiles.writeParams(new float[] {1, 2, 3}, new float[] {4}, out);
    float[][] back = ModelFiles.readParams(new java.io.ByteArrayInputStream(out.toByteArray()), 3, 1, "f");
    assertArrayEquals(new float[] {1, 2, 3}, back[0]);
    assertArrayEquals(new float[] {4}, back[1]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.readParams(new java.io.ByteArrayInputStream(out.toByteArray()), 4, 1, "f"));
    assertContains(e.getMessage(), "holds 3 parameters and 1 state values", "needs 4 and 1");
  }

  @Test
  void savingOverAnExistingDirectoryWithoutOverwriteIsRefusedAndLeavesItUntouched() throws IOException {
    byte[] json = Files.readAllBytes(json());
    byte[] bin = Files.readAllBytes(params());
    Model other = new Model(model.spec(), model.spec().compile().initParams(8), model.loss());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(other, dir, false));

    assertContains(e.getMessage(), "already exists", dir.getFileName().toString());
    assertArrayEquals(json, Files.readAllBytes(json()));
    assertArrayEquals(bin, Files.readAllBytes(params()));
    assertOnlyTargetInParent();
  }

  @Test
  void savingWithOverwriteReplacesTheDirectory() throws IOException {
    Files.writeString(dir.resolve("stale.txt"), "left from an earlier model");
    float[] p = model.spec().compile().initParams(8);
    Model other = new Model(model.spec(), p, model.loss());

    ModelFiles.save(other, dir, true);

    Model loaded = ModelFiles.load(dir);
    assertArrayEquals(p, loaded.params());
    assertEquals(List.of(), loaded.labels());
    assertEquals(null, loaded.summary());
    assertFalse(Files.exists(dir.resolve("stale.txt")), "overwrite must replace the directory, not merge into it");
    assertOnlyTargetInParent();
  }

  @Test
  void saveLeavesNoTemporaryDirectoryBehind() throws IOException {
    assertOnlyTargetInParent();
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(ModelFiles.MODEL_JSON, ModelFiles.PARAMS_BIN),
          s.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void saveCreatesMissingParentDirectories() throws IOException {
    Path nested = tmp.resolve("a").resolve("b").resolve("m");
    ModelFiles.save(model, nested, false);
    assertArrayEquals(model.predict(x, ROWS), ModelFiles.load(nested).predict(x, ROWS));
  }

  private void assertOnlyTargetInParent() throws IOException {
    try (Stream<Path> s = Files.list(dir.getParent())) {
      assertEquals(List.of(dir.getFileName().toString()), s.map(f -> f.getFileName().toString()).toList());
    }
  }
}
