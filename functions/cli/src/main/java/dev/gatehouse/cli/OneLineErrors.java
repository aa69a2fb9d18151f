package dev.gatehouse.cli;

import java.io.PrintWriter;
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
        if (message == null || message.isBlank()) {
            message = ex.getClass().getSimpleName();
        }
        return message.replace('\n', ' ').strip();
    }
}
