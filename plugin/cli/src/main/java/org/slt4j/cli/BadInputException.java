package org.slt4j.cli;

/**
 * Input the tool cannot use (a missing or corrupt file, a malformed CSV or baseline, data that does not fit the
 * model, an invalid option value). The command line prints its one-line message and exits with
 * {@link SltCli#EXIT_BAD_INPUT}. Thrown by the classes that other programs reuse ({@link CurveOptions},
 * {@link CheckpointCurve}) for the same reasons.
 */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Input named by the message (one line: line breaks become spaces). */
    public BadInputException(String message) {
        super(oneLine(message));
    }

    /** Input named by the message, with the failure that revealed it. */
    public BadInputException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** The message of a library exception as one line (its class name if it has none), for "X: because" messages. */
    public static String reason(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : oneLine(message);
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
