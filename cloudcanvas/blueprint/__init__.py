"""Blueprints: Cloudcraft's diagram documents, kept, edited and shared by users."""
