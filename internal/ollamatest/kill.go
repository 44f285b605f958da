package ollamatest

// Kill ends the server and its runners at once (SIGKILL to the process
// group), as a crash or a user ending the runtime would. It is for tests of
// a runtime that dies during a run; the test's cleanup then has nothing
// left to stop.
func (s *Server) Kill() {
	kill(s.cmd)
	<-s.exited
}
