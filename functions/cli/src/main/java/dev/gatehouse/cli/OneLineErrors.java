package dev.gatehouse.cli;

import dev.gatehouse.io.Printable;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Every failure reaches the user as one line on stderr and exit code 2, never as a stack trace.
 * Set GATEHOUSE_DEBUG=1 to get the trace for a bug report.
 */
final class OneLineErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {

    static final int EXIT_ERROR = 2;
    private static final int MAX_MESSAGE = 2000;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName(" ") + ": " + describe(ex));
        if (System.getenv("GATEHOUSE_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_ERROR;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName(" ");
        err.println(name + ": " + ex.getMessage());
        err.println("Try '" + name + " --help' for usage.");
        err.flush();
        return EXIT_ERROR;
    }

    static String describe(Throwable ex) {
        String message = ex.getMessage();
        if (ex instanceof FileSystemException fs && fs.getFile() != null) {
            // NIO's messages are the bare path ("/x/y.json") or "path: reason" without saying what failed.
            String reason = fs.getReason() != null ? fs.getReason()
                    : ex instanceof NoSuchFileException ? "no such file"
                    : ex instanceof AccessDeniedException ? "permission denied" : "cannot read";
            message = fs.getFile() + ": " + reason;
        } else if (message == null || message.isBlank()) {
            message = "internal error (" + ex.getClass().getSimpleName() + "); set GATEHOUSE_DEBUG=1 for details";
        }
        return Printable.oneLine(message.replace('\n', ' ').strip(), MAX_MESSAGE);
    }
}
