// Placeholder entry point; commands arrive with the layers they drive.
return 0;
