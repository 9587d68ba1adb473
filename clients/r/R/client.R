#' A connection to an r-runner service.
#'
#' @param url the service's base URL
#' @param token its bearer token (RUNNER_TOKEN)
#' @param timeout seconds each HTTP call may take; a run waits for its script
#' @param max_tries attempts for answers worth retrying (429, 503), honouring Retry-After
rr_client <- function(url = Sys.getenv("RRUNNER_URL"), token = Sys.getenv("RRUNNER_TOKEN"), timeout = 300,
                      max_tries = 4) {
  if (!nzchar(url) || !nzchar(token)) stop("rr_client() needs a url and a token (RRUNNER_URL, RRUNNER_TOKEN)")
  structure(list(url = sub("/+$", "", url), token = token, timeout = timeout, max_tries = max_tries),
            class = "rr_client")
}

#' Runs a script and returns its result (stdout, stderr, exit_code, artifacts, provenance) as a list.
#'
#' @param files named list: relative path = raw vector (sent as base64) or character (sent as UTF-8)
#' @param environment a named environment, such as "r-full"
#' @param limits list(timeout_seconds =, memory_mb =, cpus =), each optional
rr_run <- function(client, script, files = NULL, environment = NULL, limits = NULL) {
  rr_call(client, "POST", "/run", rr_body(script, files, environment, limits))
}

#' Queues a script; returns the job (id, status).
rr_submit <- function(client, script, files = NULL, environment = NULL, limits = NULL) {
  rr_call(client, "POST", "/jobs", rr_body(script, files, environment, limits))
}

#' The job as it is now.
rr_job <- function(client, id) {
  rr_call(client, "GET", paste0("/jobs/", utils::URLencode(id, reserved = TRUE)))
}

#' Long-polls until the job finished or `timeout` seconds passed; returns the job as it is then.
rr_wait <- function(client, id, timeout = 600) {
  deadline <- Sys.time() + timeout
  repeat {
    remaining <- as.numeric(difftime(deadline, Sys.time(), units = "secs"))
    wait <- max(0, min(30, floor(remaining)))
    job <- rr_call(client, "GET", sprintf("/jobs/%s?wait=%d", utils::URLencode(id, reserved = TRUE), wait))
    if (job$status %in% c("succeeded", "failed", "timed_out", "cancelled") || remaining <= 0) return(job)
  }
}

#' Cancels a queued or running job; returns the job ("cancelled", or "cancelling" while it stops).
rr_cancel <- function(client, id) {
  rr_call(client, "DELETE", paste0("/jobs/", utils::URLencode(id, reserved = TRUE)))
}

#' Writes a result's artifacts under `dir`, keeping their relative paths; returns the files' paths.
rr_save_artifacts <- function(result, dir = ".") {
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  root <- normalizePath(dir)
  vapply(result$artifacts, function(artifact) {
    parts <- strsplit(artifact$filename, "/", fixed = TRUE)[[1]]
    if (any(parts %in% c("", ".", ".."))) stop("artifact path leaves the directory: ", artifact$filename)
    target <- file.path(root, artifact$filename)
    dir.create(dirname(target), recursive = TRUE, showWarnings = FALSE)
    if (identical(artifact$encoding, "base64")) {
      writeBin(jsonlite::base64_dec(artifact$content), target)
    } else {
      writeBin(charToRaw(enc2utf8(artifact$content)), target)
    }
    target
  }, character(1))
}

rr_body <- function(script, files, environment, limits) {
  body <- list(script = script)
  if (length(files)) {
    body$files <- unname(Map(function(path, content) {
      if (is.raw(content)) {
        list(path = path, content = jsonlite::base64_enc(content), encoding = "base64")
      } else {
        list(path = path, content = paste(content, collapse = "\n"), encoding = "utf-8")
      }
    }, names(files), files))
  }
  if (!is.null(environment)) body$environment <- environment
  if (length(limits)) body$limits <- limits
  body
}

rr_call <- function(client, method, path, body = NULL) {
  req <- httr2::request(paste0(client$url, path))
  req <- httr2::req_method(req, method)
  req <- httr2::req_headers(req, Authorization = paste("Bearer", client$token), Accept = "application/json")
  req <- httr2::req_timeout(req, client$timeout)
  req <- httr2::req_retry(req, max_tries = client$max_tries,
                          is_transient = function(resp) httr2::resp_status(resp) %in% c(429, 503))
  req <- httr2::req_error(req, is_error = function(resp) FALSE)
  if (!is.null(body)) req <- httr2::req_body_json(req, body, auto_unbox = TRUE, null = "null")
  resp <- httr2::req_perform(req)
  status <- httr2::resp_status(resp)
  if (status >= 400) rr_problem(resp, status)
  httr2::resp_body_json(resp, simplifyVector = FALSE)
}

#' Signals the problem as a condition of classes rrunner_<type> (e.g. rrunner_limit_exceeded),
#' rrunner_http_<status>, rrunner_problem and error, carrying the problem's members in `$problem`.
rr_problem <- function(resp, status) {
  problem <- tryCatch(httr2::resp_body_json(resp, simplifyVector = FALSE),
                      error = function(e) list(detail = httr2::resp_status_desc(resp)))
  type <- if (is.null(problem$type)) "about:blank" else problem$type
  name <- gsub("-", "_", sub("^urn:rrunner:problem:", "", type))
  classes <- c(if (!identical(type, "about:blank")) paste0("rrunner_", name), paste0("rrunner_http_", status),
               "rrunner_problem", "error", "condition")
  stop(structure(class = classes, list(
    message = sprintf("%d %s: %s", status, if (is.null(problem$title)) "" else problem$title,
                      if (is.null(problem$detail)) "" else problem$detail),
    call = NULL, status = status, type = type, problem = problem)))
}
