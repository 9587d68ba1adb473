# The R side of a session (rrunner.worker.session.LiveR): a function of the connection requests arrive on. It
# runs forever in one R process, evaluating each request's script in the global environment, so objects, loaded
# packages, options and the working directory persist from one exec to the next.
#
# A request is a line "<nonce> <byte count>" and then exactly that many bytes of UTF-8 script: the worker can't
# close the stream (docker-java issue 1448), so nothing here waits for an end of file. Each exec ends with one
# marker line on stderr and one on stdout, both carrying the request's nonce, which the script can't know ahead:
#   stderr: RS "rrunner-end " nonce " " status "\n"
#   stdout: RS "rrunner-end " nonce " " status " " changed " " hex(path) "," hex(path) ... "\n"
# where status is ok, error or interrupted, changed counts the workspace files this exec created or changed and
# the paths (hex of their UTF-8 bytes, newest first) are at most the first of them.
#
# This function's environment has the base environment as parent, not the global one, so nothing a script defines
# there (a `cat`, a `print`) changes how the loop works.
function(input) {
  marker <- "\036rrunner-end "
  workspace <- "/workspace"
  evaluated <- quote(eval(expr, globalenv()))
  # why bounds: the worker reads the marker line only up to a size; a script can leave a hundred thousand files
  max_listed <- 1000L
  max_listed_chars <- 200000L
  max_shown_warnings <- 10L

  # Path -> "size mtime ctime" of every file under the workspace. Symlinks are listed but never descended into:
  # one to / would make a recursive listing walk the whole filesystem, /proc's loops included.
  snapshot <- function() {
    walk <- function(dir) {
      entries <- list.files(dir, all.files = TRUE, no.. = TRUE, full.names = TRUE)
      if (!length(entries)) {
        return(character())
      }
      links <- nzchar(Sys.readlink(entries))
      directory <- !links & dir.exists(entries)
      c(entries[!directory], unlist(lapply(entries[directory], walk), use.names = FALSE))
    }
    paths <- walk(workspace)
    info <- file.info(paths, extra_cols = FALSE)
    # why ctime too: a script can set a file's mtime back, never its ctime
    stamp <- paste(info$size, as.numeric(info$mtime), as.numeric(info$ctime))
    names(stamp) <- substring(paths, nchar(workspace) + 2L)
    list(stamp = stamp, mtime = as.numeric(info$mtime))
  }

  changed <- function(before, after) {
    old <- before$stamp[names(after$stamp)]
    new <- is.na(old) | old != after$stamp
    paths <- names(after$stamp)[new]
    paths[order(-after$mtime[new], paths)]
  }

  hex_list <- function(paths) {
    hex <- vapply(paths[seq_len(min(length(paths), max_listed))],
                  function(p) paste(as.character(charToRaw(p)), collapse = ""), "")
    hex <- hex[cumsum(nchar(hex) + 1L) <= max_listed_chars]
    paste(hex, collapse = ",")
  }

  call_text <- function(condition) {
    call <- conditionCall(condition)
    if (is.null(call) || identical(call, evaluated)) NULL else paste(deparse(call, nlines = 1L), collapse = "")
  }

  # As R's top level words them: "Error in f() : message", or "Error: message" for a call at top level
  error_text <- function(condition) {
    call <- call_text(condition)
    message <- conditionMessage(condition)
    if (is.null(call)) paste0("Error: ", message, "\n") else paste0("Error in ", call, " : ", message, "\n")
  }

  show_warnings <- function(warned, count) {
    if (!count) {
      return(invisible())
    }
    text <- vapply(warned, function(w) {
      call <- call_text(w)
      if (is.null(call)) conditionMessage(w) else paste0("In ", call, " : ", conditionMessage(w))
    }, "")
    if (count == 1L) {
      cat("Warning message:\n", text, "\n", sep = "", file = stderr())
    } else {
      cat("Warning messages:\n", paste0(seq_along(text), ": ", text, "\n"), sep = "", file = stderr())
      if (count > length(text)) {
        cat("There were ", count, " warnings in all; the first ", length(text), " are shown\n", sep = "",
            file = stderr())
      }
    }
  }

  # Each top-level expression in turn, printing visible values as R's top level does; stops at the first error
  run <- function(source) {
    exprs <- tryCatch(parse(text = source, keep.source = FALSE, encoding = "UTF-8"), error = function(e) e)
    if (inherits(exprs, "error")) {
      cat(paste0("Error: ", conditionMessage(exprs), "\n"), file = stderr())
      return("error")
    }
    for (expr in exprs) {
      warned <- list()
      count <- 0L
      ok <- withCallingHandlers(
        tryCatch({
          shown <- withVisible(eval(expr, globalenv()))
          if (shown$visible) {
            if (isS4(shown$value)) methods::show(shown$value) else print(shown$value)
          }
          TRUE
        }, error = function(e) {
          flush(stdout())
          cat(error_text(e), file = stderr())
          FALSE
        }),
        warning = function(w) {
          # why only at warn = 0: other levels print at once, ignore, or turn warnings into errors by themselves
          if (isTRUE(getOption("warn", 0) == 0)) {
            count <<- count + 1L
            if (count <= max_shown_warnings) warned[[count]] <<- w
            invokeRestart("muffleWarning")
          }
        })
      show_warnings(warned, count)
      if (!ok) {
        return("error")
      }
    }
    "ok"
  }

  # A script may have closed every connection (closeAllConnections()) or left its output sunk into a file: the next
  # request must still be read and this exec's markers still reach the worker
  restore <- function() {
    while (sink.number() > 0L) sink()
    if (sink.number(type = "message") != 2L) sink(type = "message")
    if (!isTRUE(tryCatch(isOpen(input), error = function(e) FALSE))) {
      input <<- file("/dev/fd/3", "rb", raw = TRUE)
    }
  }

  # why suspended: an interrupt meant for a script must never land in the loop itself, between two requests, where
  # it would end R; one that arrives after its script ended stays pending until the worker drains it
  suspendInterrupts(repeat {
    header <- readLines(input, n = 1L)
    if (!length(header)) {
      quit(save = "no", status = 0L)
    }
    fields <- strsplit(header, " ", fixed = TRUE)[[1L]]
    nonce <- fields[1L]
    source <- readBin(input, "raw", as.integer(fields[2L]))
    before <- snapshot()
    status <- tryCatch(allowInterrupts({
      text <- rawToChar(source)
      Encoding(text) <- "UTF-8"
      run(text)
    }), interrupt = function(i) "interrupted", error = function(e) {
      cat(error_text(e), file = stderr())
      "error"
    })
    restore()
    paths <- changed(before, snapshot())
    # why one string each: every cat() piece is a write of its own
    cat(paste0(marker, nonce, " ", status, "\n"), file = stderr())
    cat(paste0(marker, nonce, " ", status, " ", length(paths), " ", hex_list(paths), "\n"), file = stdout())
    flush(stderr())
    flush(stdout())
  })
}
