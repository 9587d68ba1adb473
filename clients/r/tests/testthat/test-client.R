# Against a running r-runner: RRUNNER_URL and RRUNNER_TOKEN must name it (the test command sets them).
client <- function(token = Sys.getenv("RRUNNER_TOKEN")) rr_client(token = token, timeout = 120)

test_that("a run returns its output and a plot that saves as a file", {
  result <- rr_run(client(), 'png("p.png"); plot(1:10); invisible(dev.off()); cat("ok")')
  expect_equal(result$stdout, "ok")
  expect_equal(result$exit_code, 0)
  dir <- tempfile()
  saved <- rr_save_artifacts(result, dir)
  expect_equal(basename(saved), "p.png")
  expect_equal(readBin(saved, "raw", 4), as.raw(c(0x89, 0x50, 0x4e, 0x47)))
})

test_that("input files reach the script", {
  result <- rr_run(client(), "d <- read.csv('data/in.csv'); cat(sum(d$y)); cat(readBin('b.bin', 'raw', 2))",
                   files = list("data/in.csv" = c("x,y", "1,2", "3,4"), "b.bin" = as.raw(c(1, 255))))
  expect_equal(result$stdout, "601 ff")
})

test_that("a submitted job can be waited for", {
  job <- rr_submit(client(), "cat(6 * 7)")
  finished <- rr_wait(client(), job$id, timeout = 120)
  expect_equal(finished$status, "succeeded")
  expect_equal(finished$result$stdout, "42")
})

test_that("a cancelled job ends cancelled", {
  job <- rr_submit(client(), "Sys.sleep(60)")
  rr_cancel(client(), job$id)
  expect_equal(rr_wait(client(), job$id, timeout = 60)$status, "cancelled")
})

test_that("a wrong token is an rrunner_http_401 condition", {
  expect_error(rr_run(client("wrong-token"), "cat(1)"), class = "rrunner_http_401")
})

test_that("a limit over the maximum is an rrunner_limit_exceeded condition with its members", {
  err <- tryCatch(rr_run(client(), "cat(1)", limits = list(memory_mb = 1e7)), rrunner_problem = identity)
  expect_s3_class(err, "rrunner_limit_exceeded")
  expect_equal(err$status, 422)
  expect_equal(err$problem$field, "limits.memory_mb")
})

test_that("a script past its timeout is an rrunner_http_408 condition", {
  expect_error(rr_run(client(), "Sys.sleep(30)", limits = list(timeout_seconds = 1)), class = "rrunner_http_408")
})
