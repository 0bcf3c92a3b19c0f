package io.treeprop.jobs.config;

import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How config errors are worded: {@code <full.key.path>: <problem>; <what is allowed> (at <file> line <n>)}. Shared by
 * the readers of our own sections and by the translation of core's JSON errors, so every message looks the same.
 */
final class ConfigErrors {
  /** Origin descriptions of {@code --set} overrides start with this. */
  static final String OVERRIDE_ORIGIN = "--set ";

  /** A core validation message that starts with {@code <object>.<field>}, e.g. "adam.learningRate (-1.0) must..". */
  private static final Pattern QUALIFIED = Pattern.compile("^([A-Za-z_0-9]+)\\.([A-Za-z_0-9]+)\\b(.*)$",
      Pattern.DOTALL);
  /** Typesafe's origin descriptions: "job.conf: 7", or "job.conf: 2-4" for an object spanning lines. */
  private static final Pattern LINE_SUFFIX = Pattern.compile("^(.*): (\\d+)(?:-\\d+)?$");
  /** A core validation message that starts with {@code <object>: }, e.g. "checkpoint: set everySteps ...". */
  private static final Pattern PREFIXED = Pattern.compile("^([A-Za-z_0-9]+): (.*)$", Pattern.DOTALL);

  private ConfigErrors() {}

  /** {@code " (at job.conf line 7)"}, {@code " (from --set training.epochs=ten)"}, or "" when unknown. */
  static String where(ConfigOrigin origin) {
    if (origin == null || origin.description() == null) {
      return "";
    }
    // Values we build keep Typesafe's "<source>: <line>" text as their description, without a line number.
    Matcher m = LINE_SUFFIX.matcher(origin.description());
    String source = m.matches() ? m.group(1) : origin.description();
    int line = m.matches() ? Integer.parseInt(m.group(2)) : origin.lineNumber();
    if (source.startsWith(OVERRIDE_ORIGIN)) {
      return " (from " + source + ")";
    }
    if (source.startsWith("merge of") || source.equals("hardcoded value")) {
      return "";
    }
    return line > 0 ? " (at " + source + " line " + line + ")" : " (in " + source + ")";
  }

  /** {@code path.key}, or {@code key} at the root. */
  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /**
   * Puts a validation message from a core or data record in terms of the config: a message that starts with
   * {@code <alias>.<field>} (the record's own name for itself) names {@code <path>.<field>} instead, one that starts
   * with {@code <alias>: } starts with {@code <path>: }, any other is prefixed with {@code <path>: }.
   */
  static String rewrite(String path, Collection<String> aliases, String message) {
    if (path.isEmpty()) {
      return message;
    }
    Matcher m = QUALIFIED.matcher(message == null ? "" : message);
    if (m.matches() && aliases.contains(m.group(1))) {
      return path + "." + m.group(2) + m.group(3);
    }
    Matcher p = PREFIXED.matcher(message == null ? "" : message);
    if (p.matches() && aliases.contains(p.group(1))) {
      return path + ": " + p.group(2);
    }
    return path + ": " + message;
  }

  /** {@code "unknown key training.epoch; allowed: epochs, ...; did you mean epochs?"}. */
  static String unknownKey(String fullKey, String key, Collection<String> allowed) {
    return "unknown key " + fullKey + "; allowed: " + String.join(", ", allowed) + suggest(key, allowed);
  }

  /** {@code "; did you mean epochs?"} for a key within two edits of an allowed one (case ignored), else "". */
  static String suggest(String key, Collection<String> allowed) {
    String best = null;
    int bestDistance = 3;
    for (String a : allowed) {
      int d = distance(key.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    return best == null ? "" : "; did you mean " + best + "?";
  }

  /** A value as a user would recognise it: {@code the string "ten"}, {@code the number 2.5}, {@code a list}. */
  static String describe(ConfigValue v) {
    if (v == null) {
      return "nothing";
    }
    return switch (v.valueType()) {
      case STRING -> "the string \"" + v.unwrapped() + "\"";
      case NUMBER -> "the number " + v.unwrapped();
      case BOOLEAN -> "the boolean " + v.unwrapped();
      case NULL -> "null";
      case LIST -> "a list";
      case OBJECT -> "an object";
    };
  }

  /** Levenshtein distance; keys are short. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
