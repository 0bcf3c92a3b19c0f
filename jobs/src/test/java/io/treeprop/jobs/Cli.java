package io.treeprop.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in this JVM (embedded local mode) and reads what it wrote; shared by the CLI tests. */
final class Cli {
  private Cli() {}

  /** What a command printed and returned. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** The lines of every CSV part file in a Spark output directory, each file's header once at the top. */
  static List<String> csvLines(Path dir) {
    List<String> lines = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        List<String> part = Files.readAllLines(p);
        if (part.isEmpty()) {
          continue;
        }
        if (lines.isEmpty()) {
          lines.add(part.get(0));
        }
        lines.addAll(part.subList(1, part.size()));
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return lines;
  }

  /** Writes an uncompressed IDX file of unsigned bytes: the magic number, the dimensions, the data. */
  static void idx(Path file, int[] dims, byte[] data) {
    try (var out = new java.io.DataOutputStream(Files.newOutputStream(file))) {
      out.writeInt(0x0800 | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Writes a small job config and returns its path. */
  static String job(Path dir, String name, String hocon) {
    try {
      return Files.writeString(dir.resolve(name), hocon).toString();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
