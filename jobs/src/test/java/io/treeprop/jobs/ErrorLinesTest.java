package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.spark.ml.ModelData;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures that came out of Spark, Hadoop or the JVM as stack traces are one {@code treeprop:} line, exit 1. */
class ErrorLinesTest {
  @TempDir
  static Path tmp;

  private static String model;
  private static String csv;

  @BeforeAll
  static void aModelAndACsvFile() throws IOException {
    NetworkSpec spec = NetworkSpec.input(2).dense(3).softmax();
    model = tmp.resolve("model").toString();
    ModelData.save(new Model(spec, spec.compile().initParams(1), new Losses.CategoricalCrossEntropy()), model,
        new Configuration());
    csv = Files.writeString(tmp.resolve("data.csv"), "a,b,y\n0.1,0.2,1\n0.3,0.4,0\n").toString();
  }

  private static String oneLine(Cli.Result r) {
    assertEquals(1, r.code(), r.toString());
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("treeprop: ")).count(), r.toString());
    assertTrue(r.err().startsWith("treeprop: "), r.toString());
    assertFalse(r.err().lines().anyMatch(l -> l.startsWith("\tat ")), "no stack trace\n" + r);
    return r.err();
  }

  @Test
  void sparkAndFileSystemFailuresAreOneLine() throws IOException {
    assertTrue(oneLine(Cli.run("evaluate", "--model", model, "--data", csv, "--format", "parquet",
        "--label-column", "y")).contains("cannot be read as Parquet"));
    Path dir = Files.createDirectories(tmp.resolve("images-idx3-ubyte"));
    assertTrue(oneLine(Cli.run("score", "--model", model, "--input", dir.toString(), "--output",
        tmp.resolve("s").toString())).contains("is a directory"));
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertTrue(oneLine(Cli.run("score", "--model", model, "--input", csv, "--header", "--output",
        file.resolve("scores").toString())).contains("--output: cannot write"));
  }

  @Test
  void aBadMasterUrlIsOneLineNamingIt() {
    assertTrue(oneLine(Cli.run("evaluate", "--master", "foo://bar", "--model", model, "--data", csv))
        .contains("cannot start Spark with master \"foo://bar\""));
    assertTrue(oneLine(Cli.run("evaluate", "--master", "local[abc]", "--model", model, "--data", csv))
        .contains("master \"local[abc]\""));
  }

  @Test
  void aCsvHeaderReadAsDataSaysToSetHeader() {
    String err = oneLine(Cli.run("evaluate", "--model", model, "--data", csv, "--no-header", "--label-column",
        "_c2"));
    assertTrue(err.contains("line 1") && err.contains("the first line looks like a header: set header = true"), err);
  }

  @Test
  void anythingElseIsItsInnermostCauseOnOneLineAndVerboseAddsTheTrace() {
    RuntimeException spark = new RuntimeException("Job aborted due to stage failure\n\tat x.y(Z.java:1)",
        new IllegalStateException("wrapped", new FileNotFoundException("/d/x.csv (No such file or directory)")));
    assertEquals("wrapped", Failures.message(spark), "our own message wins");
    RuntimeException other = new RuntimeException("Job aborted\nmore", new ArithmeticException("/ by zero"));
    assertEquals("ArithmeticException: / by zero", Failures.message(other));
    assertEquals("cannot read or write /d/x.csv (No such file or directory)",
        Failures.message(new RuntimeException("x", new FileNotFoundException("/d/x.csv (No such file or "
            + "directory)"))));
    Cli.Result r = Cli.run("evaluate", "--verbose", "--master", "foo://bar", "--model", model, "--data", csv);
    assertEquals(1, r.code());
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("\tat ")), r.toString());
  }

  @Test
  void aMalformedSetIsAUsageErrorWithExitCode2() {
    Cli.Result r = Cli.run("train", tmp.resolve("any.conf").toString(), "--set", "training.epochs");
    assertEquals(Main.USAGE, r.code(), r.toString());
    assertTrue(r.err().startsWith("treeprop: override \"training.epochs\" has no '='"), r.toString());
    assertEquals(Main.USAGE, Cli.run("train").code(), "a missing parameter is a usage error too");
  }

  @Test
  void aBadOutputFormatIsRefusedBeforeSparkStarts() {
    String err = oneLine(Cli.run("score", "--model", model, "--input", csv, "--output", tmp.resolve("j").toString(),
        "--output-format", "json"));
    assertTrue(err.startsWith("treeprop: --output-format \"json\" is not parquet or csv"), err);
  }
}
