package io.treeprop.jobs.config;

/**
 * A {@code --set key=value} that does not parse (no {@code =}, not a key path, not a value): a usage error, which
 * the command reports with exit code 2, unlike a well-formed value the config then refuses.
 */
public final class MalformedOverrideException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  MalformedOverrideException(String message) {
    super(message);
  }

  MalformedOverrideException(String message, Throwable cause) {
    super(message, cause);
  }
}
