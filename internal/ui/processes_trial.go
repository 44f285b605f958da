package ui

func (s *processesScreen) onTrial() {}
