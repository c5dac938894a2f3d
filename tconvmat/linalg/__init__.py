"""Linear algebra on top of the routes: C as a SciPy ``LinearOperator`` (Cᴴ for complex
data) and the dot test ⟨C u, v⟩ = ⟨u, Cᴴ v⟩."""
