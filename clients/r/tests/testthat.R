library(testthat)
library(rrunner)
test_check("rrunner")
