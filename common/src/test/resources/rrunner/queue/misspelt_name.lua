-- A test's own script: reads a state name Java does not define.
return S.RUNING
