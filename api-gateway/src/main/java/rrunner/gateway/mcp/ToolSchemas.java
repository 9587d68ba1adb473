package rrunner.gateway.mcp;

/**
 * Each tool's input schema and description. The descriptions are written for a model choosing a tool: when to use
 * it, its limits, what comes back. The run fields are {@code POST /run}'s body fields, read by the same parser, so a
 * bad value gets the same detail the HTTP API gives.
 */
final class ToolSchemas {

    private static final String LIMITS = """
            "limits": {"type": "object", "additionalProperties": false,
              "description": "Resources for this run; each one left out takes the environment's default. list_environments shows defaults and maxima.",
              "properties": {
                "timeout_seconds": {"type": "integer", "minimum": 1, "description": "Wall-clock limit; the run is stopped past it."},
                "memory_mb": {"type": "integer", "minimum": 1},
                "cpus": {"type": "number", "exclusiveMinimum": 0}}}""";

    private static final String FILES = """
            "files": {"type": "array", "description": "Input files written into the working directory before the script starts.",
              "items": {"type": "object", "required": ["path", "content"], "additionalProperties": false,
                "properties": {
                  "path": {"type": "string", "description": "Relative path such as data/in.csv."},
                  "content": {"type": "string"},
                  "encoding": {"type": "string", "enum": ["utf-8", "base64"], "description": "How content is written; utf-8 when left out."}}}}""";

    static final String RUN_R = """
            {"type": "object", "required": ["script"], "additionalProperties": false,
             "properties": {
               "script": {"type": "string", "description": "R source code to run, as with Rscript."},
               "environment": {"type": "string", "description": "Environment to run in (list_environments names them); the default when left out."},
            """ + LIMITS + ",\n" + FILES + "}}";

    static final String RUN_R_DESCRIPTION = """
            Run an R script in a fresh, isolated sandbox (no network, limited CPU, memory and time) and get its \
            output. Use it for statistics, data analysis and plots. Each call starts from a clean R: nothing is \
            kept between calls (use create_session and exec_in_session for that). Returns the exit status, \
            stdout and stderr as text; every PNG, JPEG or SVG file the script writes in its working directory \
            (e.g. png("plot.png"); plot(x); dev.off()) comes back as an image you can look at, other files \
            (CSV, RDS...) as embedded resources. A script that errors, runs past its time limit or is refused \
            (too large, bad limits, server busy) returns an error result whose text says why. Write files you \
            want back to the working directory; print what you want to read.""";

    static final String LIST_ENVIRONMENTS = """
            {"type": "object", "additionalProperties": false, "properties": {}}""";

    static final String LIST_ENVIRONMENTS_DESCRIPTION = """
            List the R environments scripts can run in: name, description, R version, whether a worker serves it \
            now, and each one's default and maximum limits. Call it before choosing an environment; \
            describe_environment lists one environment's installed packages.""";

    static final String DESCRIBE_ENVIRONMENT = """
            {"type": "object", "required": ["name"], "additionalProperties": false,
             "properties": {"name": {"type": "string", "description": "An environment name from list_environments."}}}""";

    static final String DESCRIBE_ENVIRONMENT_DESCRIPTION = """
            Describe one R environment, with every installed R package and its version. Use it to check that a \
            package is available before calling library() in run_r; packages cannot be installed at run time \
            (the sandbox has no network).""";

    static final String CREATE_SESSION = """
            {"type": "object", "additionalProperties": false,
             "properties": {
               "environment": {"type": "string", "description": "Environment for the session's R (list_environments names them)."},
               "ttl_seconds": {"type": "integer", "minimum": 1, "description": "Idle time after which the session ends; each exec starts it again."},
               "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
            """ + LIMITS + "}}";

    static final String CREATE_SESSION_DESCRIPTION = """
            Start a live R session whose objects, loaded packages and files are kept between exec_in_session \
            calls, so you can work step by step (load data once, then explore it). Returns the session as JSON; \
            pass its "id" as session_id. The session ends after ttl_seconds idle, at its maximum lifetime, or \
            with close_session: close it when you are done. The limits apply to each exec.""";

    static final String EXEC_IN_SESSION = """
            {"type": "object", "required": ["session_id", "script"], "additionalProperties": false,
             "properties": {
               "session_id": {"type": "string", "description": "The id create_session returned."},
               "script": {"type": "string", "description": "R source code, run in the session's R with its objects."},
            """ + FILES + "}}";

    static final String EXEC_IN_SESSION_DESCRIPTION = """
            Run R code in a live session made by create_session; objects and packages from earlier execs are \
            still there. Returns exactly what run_r returns (text output, plots as images, files as resources, \
            errors as error results). A session runs one exec at a time; one that ended says so.""";

    static final String CLOSE_SESSION = """
            {"type": "object", "required": ["session_id"], "additionalProperties": false,
             "properties": {"session_id": {"type": "string", "description": "The id create_session returned."}}}""";

    static final String CLOSE_SESSION_DESCRIPTION = """
            End a live R session and remove its sandbox. Its objects are gone afterwards.""";

    static final String UPLOAD_FILE = """
            {"type": "object", "required": ["session_id", "path", "content"], "additionalProperties": false,
             "properties": {
               "session_id": {"type": "string", "description": "The id create_session returned."},
               "path": {"type": "string", "description": "Relative path in the session's working directory, such as data/in.csv; an existing file is replaced."},
               "content": {"type": "string", "description": "The file's content: the text itself, or base64 when encoding is base64."},
               "encoding": {"type": "string", "enum": ["utf-8", "base64"], "description": "utf-8 (the default) for text, base64 for binary files."}}}""";

    static final String UPLOAD_FILE_DESCRIPTION = """
            Write a file (a CSV, a script, an image...) into a live session's working directory, where \
            exec_in_session's R finds it by its relative path (read.csv("data/in.csv")). Send text as it is; \
            send binary files as base64 with encoding "base64". A file is at most MAX_INPUT_FILE_BYTES once \
            decoded; the path may not leave the working directory. Returns {"path": ..., "bytes": ...}.""";

    static final String READ_FILE = """
            {"type": "object", "required": ["session_id", "path"], "additionalProperties": false,
             "properties": {
               "session_id": {"type": "string", "description": "The id create_session returned."},
               "path": {"type": "string", "description": "Relative path in the session's working directory, as list_files shows it."}}}""";

    static final String READ_FILE_DESCRIPTION = """
            Read a file from a live session's working directory, such as a plot or a table R wrote there. \
            PNG, JPEG and SVG files come back as an image you can look at, text files (CSV, TXT, JSON...) as \
            text, anything else as an embedded resource with its MIME type. Files over MAX_ARTIFACT_BYTES are \
            refused; a missing path is an error result (list_files shows what is there).""";

    static final String LIST_FILES = """
            {"type": "object", "required": ["session_id"], "additionalProperties": false,
             "properties": {"session_id": {"type": "string", "description": "The id create_session returned."}}}""";

    static final String LIST_FILES_DESCRIPTION = """
            List the files and directories in a live session's working directory: each one's relative path, \
            type (file or directory), size in bytes and modification time, as JSON. Use it to find what R \
            wrote before calling read_file.""";

    private ToolSchemas() {
    }
}
