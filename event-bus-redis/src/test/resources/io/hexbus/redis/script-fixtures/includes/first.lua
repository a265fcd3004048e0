local function first(key)
  return key
end
