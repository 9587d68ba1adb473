package rrunner.gateway.run;

import java.util.List;
import rrunner.common.job.InputFile;
import rrunner.common.session.SessionId;

/**
 * A {@code POST /run} or {@code POST /jobs} body as parsed, before its environment and limits are resolved.
 *
 * @param script the R source, within {@code MAX_SCRIPT_BYTES}
 * @param environment the environment asked for; null for the default
 * @param limits the limits asked for, each null for the environment's default
 * @param files the input files, paths checked and contents decoded
 * @param session the session to run the script in; null for a fresh sandbox
 * @param webhookUrl the URL to tell when the job ends, not checked yet; null for none
 */
record RunRequest(String script, String environment, RequestedLimits limits, List<InputFile> files,
        SessionId session, String webhookUrl) {
}
