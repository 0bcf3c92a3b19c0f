package io.treeprop.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Turns a HOCON file and {@code --set key=value} overrides into one resolved {@link Config}, and Typesafe Config's
 * exceptions into {@link IllegalArgumentException}s that say where and what.
 *
 * <p>Order: the file's substitutions are resolved (falling back to environment variables), shorthands are
 * expanded ({@code optimizer = adam} becomes {@code optimizer {type: adam}}), then each override is layered on top
 * with {@code withFallback} and the shorthands expanded again. Expanding before layering lets
 * {@code --set training.optimizer.learningRate=0.01} adjust a file's {@code optimizer = adam}; a bare name given
 * as an override replaces the whole object ({@code --set training.optimizer=sgd} is SGD with its defaults).
 */
final class Hocon {
  /** Config values that may be a bare type name instead of an object. */
  private static final List<List<String>> NAMED = List.of(List.of("model", "loss"), List.of("training", "optimizer"),
      List.of("training", "schedule"), List.of("training", "schedule", "then"), List.of("data", "scaling"));
  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  /** A config file larger than this is not a config file. */
  private static final long MAX_FILE_BYTES = 16L << 20;

  private static final Pattern PLAIN_INCLUDE = Pattern.compile("^\\s*include\\s+(?:file\\(\\s*)?\"([^\"]+)\"");
  private static final Pattern REQUIRED_INCLUDE = Pattern.compile(
      "^\\s*include\\s+required\\(\\s*(?:file\\(\\s*)?\"([^\"]+)\"");

  private Hocon() {}

  /** Parses a config file on any Hadoop path; local files may {@code include} files next to them. */
  static Config parseFile(String path, Configuration hadoop) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(hadoop);
      if (!fs.exists(p) || !fs.getFileStatus(p).isFile()) {
        throw new IllegalArgumentException("config file " + path + " does not exist or is not a file");
      }
      if (fs instanceof LocalFileSystem local) {
        // Typesafe reports a missing required include as a classpath resource, its leading '/' dropped
        List<String> missing = includes(local.pathToFile(p), path, REQUIRED_INCLUDE);
        if (!missing.isEmpty()) {
          throw new IllegalArgumentException(missing.get(0) + "; fix the path");
        }
        return parse(() -> ConfigFactory.parseFile(local.pathToFile(p), options(path)));
      }
      if (fs.getFileStatus(p).getLen() > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("config file " + path + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      String text;
      try (InputStream in = fs.open(p)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return parseText(text, path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The plain {@code include "x"} / {@code include file("x")} lines of a local config file whose file does not
   * exist, as warnings: HOCON skips a missing plain include silently ({@code include required(...)} is an error).
   * Nested includes are not followed.
   */
  static List<String> missingIncludes(String path, Configuration hadoop) {
    try {
      Path p = new Path(path);
      if (!(p.getFileSystem(hadoop) instanceof LocalFileSystem local)) {
        return List.of();
      }
      List<String> warnings = new ArrayList<>();
      for (String m : includes(local.pathToFile(p), path, PLAIN_INCLUDE)) {
        warnings.add(m + " and HOCON skips it; fix the path, or write include required(\"...\") to make it an "
            + "error");
      }
      return warnings;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + path + ": " + e.getMessage(), e);
    }
  }

  /** "FILE line N: include "x" finds no file (/abs/x)" for each include {@code pattern} matches whose file is missing. */
  private static List<String> includes(java.io.File file, String path, Pattern pattern) throws IOException {
    List<String> missing = new ArrayList<>();
    List<String> lines = java.nio.file.Files.readAllLines(file.toPath(), StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = pattern.matcher(lines.get(i));
      if (m.find()) {
        java.io.File target = new java.io.File(m.group(1));
        if (!target.isAbsolute()) {
          target = new java.io.File(file.getAbsoluteFile().getParentFile(), m.group(1));
        }
        if (!target.exists()) {
          missing.add(path + " line " + (i + 1) + ": include \"" + m.group(1) + "\" finds no file (" + target + ")");
        }
      }
    }
    return missing;
  }

  /** Parses HOCON text; {@code origin} names it in errors (a file name, or e.g. "job config"). */
  static Config parseText(String text, String origin) {
    return parse(() -> ConfigFactory.parseString(text, options(origin)));
  }

  /**
   * Parses one {@code key=value} override. The value is HOCON when it starts with {@code {}, {@code [} or a quote,
   * or is a number, {@code true}, {@code false} or {@code null}; anything else is taken as a literal string, so
   * {@code output.model=hdfs://nn/m} and {@code spark.master=local[4]} need no quoting.
   */
  static Config parseOverride(String setting) {
    int eq = setting.indexOf('=');
    if (eq < 0) {
      throw new MalformedOverrideException("override \"" + setting + "\" has no '='; write key=value, e.g. "
          + "--set training.epochs=3");
    }
    String key = setting.substring(0, eq).strip();
    List<String> parts;
    try {
      parts = ConfigUtil.splitPath(key);
    } catch (ConfigException e) {
      throw new MalformedOverrideException("override \"" + setting + "\": \"" + key + "\" is not a key path; write "
          + "dotted keys, e.g. training.optimizer.learningRate", e);
    }
    String text = ConfigUtil.joinPath(parts) + " = " + valueText(setting.substring(eq + 1).strip());
    String origin = ConfigErrors.OVERRIDE_ORIGIN + setting;
    try {
      return ConfigFactory.parseString(text, options(origin)).resolve();
    } catch (ConfigException e) {
      throw new MalformedOverrideException("override \"" + setting + "\": " + reason(e), e);
    }
  }

  /** The file resolved, then each override layered on top, shorthands expanded. */
  static Config layer(Config file, List<String> overrides) {
    Config merged;
    try {
      merged = expand(file.resolve());
    } catch (ConfigException e) {
      throw translate(e);
    }
    for (String setting : overrides) {
      merged = expand(parseOverride(setting).withFallback(merged));
    }
    return merged;
  }

  /** A Typesafe Config exception as our error: where (file and line) and what. */
  static IllegalArgumentException translate(ConfigException e) {
    String source = e.origin() == null ? "config" : e.origin().description().replaceFirst(": \\d+$", "");
    int line = e.origin() == null ? -1 : e.origin().lineNumber();
    String at = line > 0 ? source + " line " + line : source;
    // UnresolvedSubstitution is a subclass of Parse
    if (e instanceof ConfigException.UnresolvedSubstitution) {
      return new IllegalArgumentException(at + ": " + reason(e) + "; define it in the file or as an environment "
          + "variable, or write ${?NAME} for an optional value", e);
    }
    if (e instanceof ConfigException.Parse) {
      return new IllegalArgumentException("cannot parse " + at + ": " + reason(e), e);
    }
    return new IllegalArgumentException(at + ": " + reason(e), e);
  }

  private static Config parse(Supplier<Config> parser) {
    try {
      return parser.get();
    } catch (ConfigException e) {
      throw translate(e);
    }
  }

  private static ConfigParseOptions options(String origin) {
    return ConfigParseOptions.defaults().setOriginDescription(origin).setSyntax(ConfigSyntax.CONF)
        .setAllowMissing(false);
  }

  /** Typesafe's message without the origin it starts with. */
  private static String reason(ConfigException e) {
    String m = e.getMessage();
    String prefix = e.origin() == null ? null : e.origin().description() + ": ";
    return prefix != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  private static String valueText(String v) {
    if (v.isEmpty()) {
      return "\"\"";
    }
    char c = v.charAt(0);
    if (c == '{' || c == '[' || c == '"' || v.equals("true") || v.equals("false") || v.equals("null")
        || JSON_NUMBER.matcher(v).matches()) {
      return v;
    }
    return ConfigUtil.quoteString(v);
  }

  /** Expands bare names to {@code {type: name}} and a typeless {@code scaling {factor: f}} to type factor. */
  static Config expand(Config c) {
    for (List<String> path : NAMED) {
      ConfigValue v = at(c.root(), path);
      if (v != null && v.valueType() == ConfigValueType.STRING) {
        ConfigValue named = ConfigValueFactory.fromMap(Map.of("type", v.unwrapped()), v.origin().description())
            .withOrigin(v.origin());
        c = c.withValue(ConfigUtil.joinPath(path), named);
      }
    }
    if (at(c.root(), List.of("data", "scaling")) instanceof ConfigObject s && !s.containsKey("type")
        && s.containsKey("factor")) {
      c = c.withValue("data.scaling.type", ConfigValueFactory.fromAnyRef("factor", s.origin().description()));
    }
    return c;
  }

  private static ConfigValue at(ConfigObject root, List<String> path) {
    ConfigValue v = root;
    for (String key : path) {
      if (!(v instanceof ConfigObject o)) {
        return null;
      }
      v = o.get(key);
    }
    return v;
  }
}
